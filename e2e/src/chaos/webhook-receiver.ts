import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { type SignerEvent, verifyWebhook } from '@fps-checkout/signer'
import type { Random } from './seed.js'

/**
 * What the receiver does with one try: takes it (`ok`, 204); fails it (`error`, a 5xx, nothing
 * done); takes it but answers after the signer's timeout (`late`); or never answers and does
 * nothing (`silent`, until the signer gives up on the connection or dies).
 */
export type Reply = 'ok' | 'error' | 'late' | 'silent'

/** An event as the receiver first took it, on its own clock. */
export interface Received {
  event: SignerEvent
  /** When it was taken (ms, the receiver's clock). */
  at: number
  /** Its place among every event the receiver took, from 0. */
  arrival: number
}

/** What came in, and what the receiver answered. */
export interface ReceiverCounts {
  /** Every POST, verified or not. */
  tries: number
  /** Answered with a 5xx. */
  errors: number
  /** Taken, then answered after the signer's timeout. */
  late: number
  /** Never answered. */
  silent: number
  /** Refused: the webhook did not verify (`verifyWebhook` threw). */
  refused: number
  /** Verified, but `webhook-id` is not the id of the event in the body. */
  mislabelled: number
  /** Tries of an event taken before: dropped by their `webhook-id`. */
  duplicates: number
}

export interface ReceiverOptions {
  /** The signer's `FPS_WEBHOOK_SECRET`. */
  secret: string
  /** Draws each try's reply, in the order tries arrive. */
  random: Random
  /** The signer's `webhookTimeoutMs`: a late answer comes this long and a quarter second after. */
  timeoutMs: number
  /** The receiver's clock, for verifying timestamps and timing deliveries. */
  now: () => Date
  /** The share of tries failed with a 5xx. */
  errorShare: number
  /** The share of tries timed out (half late, half silent). */
  timeoutShare: number
}

/** Called for each verified try before it is answered; the answer waits for it. */
export type TryListener = (id: string, reply: Reply) => void | Promise<void>

const ERRORS = [500, 502, 503] as const
/** How long after the signer's timeout a late answer comes. */
const LATE_BY_MS = 250

/**
 * The merchant's webhook endpoint, a real HTTP server on 127.0.0.1: it verifies every try with
 * `verifyWebhook`, fails or times out a seeded share of them, and takes each event once by its
 * `webhook-id`, fulfilling an order (issuing its one download) on its `order.paid`.
 */
export class WebhookReceiver {
  readonly counts: ReceiverCounts = {
    tries: 0,
    errors: 0,
    late: 0,
    silent: 0,
    refused: 0,
    mislabelled: 0,
    duplicates: 0,
  }
  /** Each event taken, by `webhook-id`. */
  readonly received = new Map<string, Received>()
  /** Fulfilments by callerReference: more than one is an order fulfilled twice. */
  readonly fulfilments = new Map<string, number>()
  /** Why the first refused tries did not verify. */
  readonly refusals: string[] = []
  private readonly listeners = new Set<TryListener>()

  private constructor(
    readonly url: string,
    private readonly options: ReceiverOptions,
    private readonly server: ReturnType<typeof createServer>
  ) {}

  static async start(options: ReceiverOptions): Promise<WebhookReceiver> {
    let receiver: WebhookReceiver | undefined
    const server = createServer((request, response) => {
      const chunks: Buffer[] = []
      request.on('data', (chunk: Buffer) => chunks.push(chunk))
      request.on('end', () => void receiver?.handle(request, response, Buffer.concat(chunks)))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    receiver = new WebhookReceiver(`http://127.0.0.1:${port}/hooks/fps`, options, server)
    return receiver
  }

  /** Hears of every verified try before it is answered; answers the way to stop hearing. */
  onTry(listener: TryListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve())
      this.server.closeAllConnections()
    })
  }

  /** Never rejects: a signer killed mid-try leaves a socket that is simply not answered. */
  private async handle(request: IncomingMessage, response: ServerResponse, body: Buffer) {
    this.counts.tries += 1
    const id = request.headers['webhook-id']
    let event: SignerEvent
    try {
      event = verifyWebhook(this.options.secret, request.headers, body, {
        now: this.options.now(),
      })
    } catch (error) {
      this.counts.refused += 1
      if (this.refusals.length < 5) this.refusals.push((error as Error).message)
      answer(response, 400)
      return
    }
    if (typeof id !== 'string' || id !== event.id) this.counts.mislabelled += 1
    const reply = this.draw()
    if (reply === 'ok' || reply === 'late') this.take(event)
    for (const listener of [...this.listeners]) await listener(event.id, reply)
    if (reply === 'ok') return answer(response, 204)
    if (reply === 'error') {
      this.counts.errors += 1
      const status = ERRORS[Math.floor(this.options.random() * ERRORS.length)] ?? 500
      return answer(response, status)
    }
    if (reply === 'late') {
      this.counts.late += 1
      await sleep(this.options.timeoutMs + LATE_BY_MS)
      return answer(response, 204)
    }
    // silent: the socket closes when the signer stops waiting (or is killed)
    this.counts.silent += 1
  }

  private draw(): Reply {
    const { random, errorShare, timeoutShare } = this.options
    const r = random()
    if (r < errorShare) return 'error'
    if (r < errorShare + timeoutShare / 2) return 'late'
    if (r < errorShare + timeoutShare) return 'silent'
    return 'ok'
  }

  /** Takes an event once by its id; an `order.paid` fulfils its order. */
  private take(event: SignerEvent): void {
    if (this.received.has(event.id)) {
      this.counts.duplicates += 1
      return
    }
    const arrival = this.received.size
    this.received.set(event.id, { event, at: this.options.now().getTime(), arrival })
    if (event.type !== 'order.paid') return
    const ref = event.data.order.callerReference
    this.fulfilments.set(ref, (this.fulfilments.get(ref) ?? 0) + 1)
  }
}

/** Answers with an empty body, unless the signer has hung up already. */
function answer(response: ServerResponse, status: number): void {
  if (response.destroyed || response.writableEnded) return
  response.writeHead(status).end()
}
