import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One webhook as the receiver got it: headers and the raw body. */
export interface Received {
  headers: IncomingHttpHeaders
  body: string
}

/** How the receiver answers the `n`th request (from 0): a status, a redirect, or no answer at all. */
export type Answering = (n: number) => number | { redirect: string } | 'hang'

/** A webhook endpoint on 127.0.0.1 that records what it is sent and answers as told. */
export interface WebhookReceiver {
  url: string
  received: Received[]
  /** Changes how the next requests are answered. */
  answer(answering: Answering): void
  /** Polls (real time, 10 s at most) until `count` requests have come. */
  waitFor(count: number): Promise<Received[]>
  close(): Promise<void>
}

/** Starts a receiver; by default it answers 204 to everything. */
export async function startReceiver(answering: Answering = () => 204): Promise<WebhookReceiver> {
  const received: Received[] = []
  let answer = answering
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const n = received.length
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') })
      const how = answer(n)
      if (how === 'hang') return
      if (typeof how === 'number') response.writeHead(how).end('a body the signer never reads')
      else response.writeHead(302, { location: how.redirect }).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/fps`,
    received,
    answer: (next) => {
      answer = next
    },
    async waitFor(count) {
      const deadline = Date.now() + 10_000
      while (received.length < count) {
        if (Date.now() > deadline) {
          throw new Error(`The receiver got ${received.length} webhooks, not ${count}.`)
        }
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      return received
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
