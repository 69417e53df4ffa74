import { ADMIN_TOKEN, type Harness } from '@fps-checkout/signer/testing'
import { integer, type Random } from './seed.js'
import type { SignerLives } from './signer-lives.js'

/**
 * What one customer of the delivery run does, each making its own events: pays (`order.paid`);
 * pays, gets a part back from the merchant, then asks for the rest, which the merchant approves
 * (`order.paid`, then `order.refunded` twice); cancels the checkout before paying
 * (`order.cancelled`); or never comes back (`order.expired`, written by the final sweep).
 */
export type Flow = 'pay' | 'refund' | 'cancel' | 'abandon'

/**
 * A purchase at $0.25, a part of it refunded first: alice's $1,000 covers 4,000 of them, more
 * than a full run's two lanes can make at their pace.
 */
const AMOUNT = '0.25'
const PART = '0.10'
/** Tries of one request across kills, each on a process newer than the last one tried. */
const TRIES = 20

/** What the run's seed decides about one customer. */
export interface Visit {
  flow: Flow
  /** How long after the lane's previous customer this one comes (ms): customers arrive at a pace. */
  afterMs: number
}

/** The customers' shares of the flows, and their pace: a customer a lane every 0.1-0.3 s at most. */
export function drawVisit(random: Random): Visit {
  const r = random()
  const flow = r < 0.5 ? 'pay' : r < 0.8 ? 'refund' : r < 0.9 ? 'cancel' : 'abandon'
  return { flow, afterMs: integer(random, 100, 300) }
}

/** One customer's order and how far the flow got before the end (what the final sweep must do). */
export interface Customer {
  callerReference: string
  flow: Flow
  /** Where the flow stopped short, a kill having taken an answer that is not retried. */
  leftToSweep?: 'return' | 'partial refund'
}

interface Reply {
  status: number
  json: {
    url?: string
    callerReference?: string
    accessToken?: string
    order?: { status: string; refundRequest?: { id: string } }
    refundRequest?: { id: string; status: string }
    error?: { code: string }
  }
}

/**
 * Customers against a signer that is killed under them: each request goes to the process
 * running, and one whose connection a kill took is sent again to the next process, as a page
 * retries; only a partial refund is never sent twice (it is not idempotent: the sweep resends
 * the stored operation instead).
 */
export class DeliveryBuyers {
  constructor(
    private readonly h: Harness,
    private readonly lives: SignerLives
  ) {}

  /** The `n`th customer's purchase, following `flow`. */
  async shop(n: number, flow: Flow): Promise<Customer> {
    const key = `delivery-${n}`
    const checkout = await this.call('POST', '/checkout', {
      body: { amount: AMOUNT, reason: `Delivery ${flow}` },
      headers: { 'idempotency-key': key },
    })
    const { url, callerReference, accessToken } = checkout.json
    if (checkout.status !== 200 || !url || !callerReference || !accessToken)
      throw new Error(`Checkout answered ${checkout.status}: ${JSON.stringify(checkout.json)}`)
    const customer: Customer = { callerReference, flow }
    const buyer = { authorization: `Bearer ${accessToken}` }
    if (flow === 'abandon') return customer
    if (flow === 'cancel') {
      const cancel = await this.call('POST', `/orders/${callerReference}/cancel`, {
        headers: buyer,
      })
      // a repeat after a lost answer finds it cancelled already
      if (cancel.status !== 200 && cancel.json.error?.code !== 'invalid_order_state')
        throw new Error(`Cancel answered ${cancel.status}: ${JSON.stringify(cancel.json)}`)
      return customer
    }
    const query = await this.h.authorize(url)
    const paid = await this.call('POST', '/return', { body: { query } })
    if (paid.json.order?.status !== 'success') return { ...customer, leftToSweep: 'return' }
    if (flow === 'pay') return customer

    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` }
    const part = await this.once('POST', `/admin/orders/${callerReference}/refund`, {
      body: { amount: PART },
      headers: admin,
    })
    if (part?.json.order?.status !== 'refunded')
      return { ...customer, leftToSweep: 'partial refund' }
    const asked = await this.call('POST', `/orders/${callerReference}/refund-requests`, {
      body: { reason: 'The rest, please' },
      headers: buyer,
    })
    let id = asked.json.refundRequest?.id
    if (asked.json.error?.code === 'refund_already_requested') {
      const order = await this.call('GET', `/orders/${callerReference}`, { headers: buyer })
      id = order.json.order?.refundRequest?.id
    }
    if (!id) throw new Error(`Refund request answered ${asked.status}: ${JSON.stringify(asked)}`)
    const approved = await this.call('POST', `/admin/refund-requests/${id}/approve`, {
      headers: admin,
    })
    if (approved.json.refundRequest?.status !== 'approved')
      throw new Error(`Approval answered ${approved.status}: ${JSON.stringify(approved.json)}`)
    return customer
  }

  /** A request, sent again to each next process while kills take its connection. */
  private async call(
    method: 'GET' | 'POST',
    path: string,
    init: { body?: unknown; headers?: Record<string, string> }
  ): Promise<Reply> {
    let generation = 0
    for (let round = 0; round < TRIES; round++) {
      const running = await this.lives.running(generation)
      const reply = await send(running.url, method, path, init)
      if (reply) return reply
      generation = running.generation
    }
    throw new Error(`${method} ${path}: no answer from ${TRIES} signer processes.`)
  }

  /** A request sent once: undefined if a kill took its answer. */
  private async once(
    method: 'GET' | 'POST',
    path: string,
    init: { body?: unknown; headers?: Record<string, string> }
  ): Promise<Reply | undefined> {
    return send((await this.lives.running()).url, method, path, init)
  }
}

/** One request to a signer process; undefined when the connection is lost (a kill). */
async function send(
  base: string,
  method: 'GET' | 'POST',
  path: string,
  { body, headers = {} }: { body?: unknown; headers?: Record<string, string> }
): Promise<Reply | undefined> {
  try {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    return { status: response.status, json: (await response.json()) as Reply['json'] }
  } catch {
    return undefined
  }
}
