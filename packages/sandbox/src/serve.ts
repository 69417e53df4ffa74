import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { createSandbox, type Sandbox } from './app.js'
import type { SandboxOptions } from './runtime.js'

/** Where to listen; port 0 picks a free one. */
export interface ServeOptions extends SandboxOptions {
  port?: number
  host?: string
}

/** A listening sandbox. */
export interface RunningSandbox {
  sandbox: Sandbox
  /** The base URL: the FPS API endpoint, with the CBUI at `/cobranded-ui/actions/start`. */
  url: string
  close(): Promise<void>
}

/** Starts the sandbox on Node's HTTP server and tells it its own origin for certificate URLs. */
export async function serveSandbox(options: ServeOptions = {}): Promise<RunningSandbox> {
  const sandbox = createSandbox(options)
  const host = options.host ?? '127.0.0.1'
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const listening = serve(
      { fetch: sandbox.app.fetch, port: options.port ?? 8910, hostname: host },
      () => resolve(listening)
    )
    listening.once('error', reject)
  })
  const { port } = server.address() as AddressInfo
  const url = options.publicUrl ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  sandbox.setOrigin(url)
  return {
    sandbox,
    url,
    close: () =>
      new Promise<void>((resolve, reject) => {
        sandbox.close()
        server.close((error) => (error ? reject(error) : resolve()))
        if ('closeAllConnections' in server) server.closeAllConnections()
      }),
  }
}
