import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A stable IPN URL in front of a signer that restarts on new ports. */
export interface IpnRelay {
  url: string
  close(): Promise<void>
}

/**
 * Listens on 127.0.0.1, as a merchant's proxy would in front of its signer processes, and
 * forwards each POST byte for byte to `${signerUrl()}/ipn`, answering what the signer answered;
 * 502 while no signer runs (FPS then resends). The signer is configured with this URL as its IPN
 * URL, so the IPNs it forwards verify.
 */
export async function startIpnRelay(signerUrl: () => string | undefined): Promise<IpnRelay> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    // never rejects: what cannot be forwarded is answered 502
    const relay = async () => {
      const base = signerUrl()
      try {
        if (!base) throw new Error('No signer runs.')
        const answer = await fetch(`${base}/ipn`, {
          method: 'POST',
          headers: { 'content-type': request.headers['content-type'] ?? '' },
          body: Buffer.concat(chunks),
        })
        const body = Buffer.from(await answer.arrayBuffer())
        response.writeHead(answer.status, { 'content-type': 'application/json' }).end(body)
      } catch {
        response.writeHead(502).end()
      }
    }
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => void relay())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/ipn`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
