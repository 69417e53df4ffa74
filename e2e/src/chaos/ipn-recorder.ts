import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A stand-in IPN endpoint that keeps every notification FPS posts to it, byte for byte. */
export interface IpnRecorder {
  url: string
  bodies: Buffer[]
  /** Resolves once `count` notifications have arrived (within `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<Buffer[]>
  close(): Promise<void>
}

/**
 * Listens on 127.0.0.1 and answers every POST 200 so the sandbox delivers each IPN once. The
 * signer is configured with this URL as its IPN URL, so the recorded IPNs are genuine ones the
 * signer would verify.
 */
export async function startIpnRecorder(): Promise<IpnRecorder> {
  const bodies: Buffer[] = []
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      if (request.method === 'POST') bodies.push(Buffer.concat(chunks))
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/ipn`,
    bodies,
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs
      while (bodies.length < count) {
        if (Date.now() > deadline) throw new Error(`Only ${bodies.length} of ${count} IPNs came.`)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      return bodies
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
