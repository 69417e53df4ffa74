import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { createSandbox, type Sandbox } from './app.js'
import type { SandboxOptions } from './runtime.js'

/** Where to listen; port 0 picks a free one. */
export interface ServeOptions extends SandboxOptions {
  port?: number
  host?: string
  /** Serve https with this PEM certificate (chain) and key, as FPS's own hosts did. */
  tls?: { cert: string; key: string }
}

/** A listening sandbox. */
export interface RunningSandbox {
  sandbox: Sandbox
  /** The base URL: the FPS API endpoint, with the CBUI at `/cobranded-ui/actions/start`. */
  url: string
  /** Where this process listens: `url` unless `publicUrl` names the host clients reach it by. */
  localUrl: string
  close(): Promise<void>
}

/** Starts the sandbox on Node's HTTP (or HTTPS) server and tells it its own origin for certificate URLs. */
export async function serveSandbox(options: ServeOptions = {}): Promise<RunningSandbox> {
  const sandbox = createSandbox(options)
  const host = options.host ?? '127.0.0.1'
  const { tls } = options
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const listening = serve(
      {
        fetch: sandbox.app.fetch,
        port: options.port ?? 8910,
        hostname: host,
        ...(tls && { createServer: createHttpsServer, serverOptions: tls }),
      },
      () => resolve(listening)
    )
    listening.once('error', reject)
  })
  const { port } = server.address() as AddressInfo
  const localUrl = `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`
  const url = options.publicUrl ?? localUrl
  sandbox.setOrigin(url)
  return {
    sandbox,
    url,
    localUrl,
    close: () =>
      new Promise<void>((resolve, reject) => {
        sandbox.close()
        server.close((error) => (error ? reject(error) : resolve()))
        if ('closeAllConnections' in server) server.closeAllConnections()
      }),
  }
}
