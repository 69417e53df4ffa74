import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { createSigner, type Signer, type SignerOptions } from './app.js'

/** How long `close()` lets requests in flight finish before it drops their connections. */
const DRAIN_MS = 10_000

/** Where the signer listens, and how often it reconciles. */
export interface ServeOptions {
  /** 0 picks a free port; default 8788. */
  port?: number
  hostname?: string
  /** Milliseconds between reconciliation sweeps; 0 turns the periodic sweep off. Default 60 s. */
  sweepIntervalMs?: number
}

/** A listening signer. */
export interface RunningSigner {
  signer: Signer
  url: string
  /**
   * Stops taking connections, lets requests in flight finish (up to 10 s), then closes the store:
   * a deploy answers every buyer it has started on instead of failing them on a closed store.
   */
  close(): Promise<void>
}

/**
 * Serves the signer on Node's HTTP server once its store is migrated and has taken a write, and
 * runs the reconciliation sweep periodically (never two at once in this process). A store it
 * cannot write (full disk, read-only, locked, server down) rejects with a `StoreUnavailableError`
 * before anything listens.
 */
export async function serveSigner(
  options?: SignerOptions,
  { port = 8788, hostname = '127.0.0.1', sweepIntervalMs = 60_000 }: ServeOptions = {}
): Promise<RunningSigner> {
  const signer = createSigner(options)
  try {
    await signer.checkWritable()
  } catch (error) {
    await signer.close().catch(() => undefined)
    throw error
  }
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const listening = serve({ fetch: signer.app.fetch, port, hostname }, () => resolve(listening))
    listening.once('error', reject)
  })
  const address = server.address() as AddressInfo
  let inFlight = 0
  let closing = false
  const dropConnections = () => {
    if ('closeAllConnections' in server) server.closeAllConnections()
  }
  server.on('request', (_request, response) => {
    inFlight += 1
    response.once('close', () => {
      inFlight -= 1
      if (closing && inFlight === 0) dropConnections()
    })
  })
  let sweeping: Promise<unknown> | undefined
  const timer =
    sweepIntervalMs > 0
      ? setInterval(() => {
          sweeping ??= signer.sweep().finally(() => {
            sweeping = undefined
          })
        }, sweepIntervalMs)
      : undefined
  timer?.unref()
  return {
    signer,
    url: `http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${address.port}`,
    async close() {
      clearInterval(timer)
      closing = true
      await new Promise<void>((resolve) => {
        const deadline = setTimeout(dropConnections, DRAIN_MS)
        server.close(() => {
          clearTimeout(deadline)
          resolve()
        })
        if (inFlight === 0) dropConnections()
      })
      await sweeping
      await signer.close()
    },
  }
}
