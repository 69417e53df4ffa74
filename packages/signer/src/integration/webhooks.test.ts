import { randomBytes } from 'node:crypto'
import { ADMIN_TOKEN, Harness, type TestClock, testClock } from '@fps-checkout/signer/testing'
import { Webhook } from 'standardwebhooks'
import { afterEach, describe, expect, it } from 'vitest'
import { startReceiver, type WebhookReceiver } from '../../test/webhook-receiver.js'
import { GIVE_UP_AFTER_MS, retryDelayMs } from '../events/outbox.js'
import type { EventRecord, EventsPage, SignerEvent } from '../http/contract.js'

const SECRET = `whsec_${randomBytes(32).toString('base64')}`

let h: Harness | undefined
const receivers: WebhookReceiver[] = []
afterEach(async () => {
  await h?.close()
  h = undefined
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()))
})

/** A receiver answering as told, and a harness whose signer posts its events there. */
async function start(answering: Parameters<typeof startReceiver>[0], clock = testClock()) {
  const receiver = await startReceiver(answering)
  receivers.push(receiver)
  h = await Harness.start({
    signer: { now: clock.now, webhookUrl: receiver.url, webhookSecret: SECRET },
  })
  return { harness: h, receiver, clock }
}

async function paid(harness: Harness) {
  const { json } = await harness.checkout({ amount: '2.00', reason: 'Webhooks' })
  const back = await harness.returnWith(await harness.authorize(json.url!))
  expect(back.json.order?.status).toBe('success')
  return back.json.order!
}

/** The admin API's page of an order's events, newest first. */
async function events(harness: Harness, query: string): Promise<EventsPage> {
  const { status, json } = await harness.admin(`/events?${query}`)
  expect(status).toBe(200)
  return json as EventsPage
}

/** Polls (real time) until the order's `order.paid` event has been tried `tries` times, and stands in `state`. */
async function tried(
  harness: Harness,
  callerReference: string,
  tries: number,
  state: EventRecord['delivery']['state']
): Promise<EventRecord> {
  const deadline = Date.now() + 10_000
  for (;;) {
    const page = await events(harness, `callerReference=${callerReference}&type=order.paid`)
    const record = page.events[0]
    if (record?.delivery.state === state && record.delivery.attempts.length === tries) return record
    if (Date.now() > deadline) throw new Error(`Still ${JSON.stringify(record?.delivery)}.`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Moves the clock on by the backoff after `failures` failed tries, so the next one is due. */
const backOff = (clock: TestClock, failures: number) => clock.advance(retryDelayMs(failures))

/** Lets the order's `order.paid` be tried three times, the clock moved on by each backoff. */
async function triedThrice(harness: Harness, clock: TestClock, callerReference: string) {
  await tried(harness, callerReference, 1, 'pending')
  backOff(clock, 1)
  await tried(harness, callerReference, 2, 'pending')
  backOff(clock, 2)
  return tried(harness, callerReference, 3, 'delivered')
}

describe('webhooks', () => {
  it('reach an endpoint that fails twice, every try signed alike and recorded', async () => {
    const { harness, receiver, clock } = await start((n) => [500, 503][n] ?? 204)
    const order = await paid(harness)
    const record = await triedThrice(harness, clock, order.callerReference)
    const received = receiver.received
    expect(record.delivery.attempts).toEqual([
      {
        at: expect.any(String),
        durationMs: expect.any(Number),
        statusCode: 500,
        error: 'HTTP 500',
      },
      {
        at: expect.any(String),
        durationMs: expect.any(Number),
        statusCode: 503,
        error: 'HTTP 503',
      },
      { at: expect.any(String), durationMs: expect.any(Number), statusCode: 204 },
    ])
    const webhook = new Webhook(SECRET)
    for (const { headers, body } of received) {
      expect(headers['content-type']).toBe('application/json')
      expect(headers['webhook-id']).toBe(record.event.id)
      expect(webhook.verify(body, headers as Record<string, string>)).toEqual(record.event)
    }
    const event = JSON.parse(received[0]!.body) as SignerEvent
    expect(event).toMatchObject({ type: 'order.paid', data: { order } })
    expect(new Set(received.map(({ headers }) => headers['webhook-timestamp'])).size).toBe(3)
    const logs = harness.logs.join('\n')
    expect(logs).not.toContain('a body the signer never reads')
    expect(logs).not.toContain(SECRET.slice(6))
    expect(logs).toContain('event delivery failed; it is tried again')
  })

  it('follow no redirect, and wait no longer than the timeout', async () => {
    const elsewhere = await startReceiver()
    receivers.push(elsewhere)
    const clock = testClock()
    const receiver = await startReceiver((n) =>
      n === 0 ? { redirect: elsewhere.url } : n === 1 ? 'hang' : 204
    )
    receivers.push(receiver)
    h = await Harness.start({
      signer: {
        now: clock.now,
        webhookUrl: receiver.url,
        webhookSecret: SECRET,
        webhookTimeoutMs: 300,
      },
    })
    const record = await triedThrice(h, clock, (await paid(h)).callerReference)
    expect(
      record.delivery.attempts.map(({ statusCode, error }) => ({ statusCode, error }))
    ).toEqual([
      { statusCode: 302, error: 'HTTP 302: redirects are not followed' },
      { statusCode: undefined, error: 'no answer within 300 ms' },
      { statusCode: 204, error: undefined },
    ])
    expect(elsewhere.received).toEqual([])
  })

  it('resume after a restart, on the schedule kept in the store', async () => {
    const { harness, receiver, clock } = await start(() => 500)
    const order = await paid(harness)
    await tried(harness, order.callerReference, 1, 'pending')
    await harness.restartSigner()
    receiver.answer(() => 204)
    backOff(clock, 1)
    const record = await tried(harness, order.callerReference, 2, 'delivered')
    expect(record.delivery.attempts.map((attempt) => attempt.statusCode)).toEqual([500, 204])
  })

  it('are given up after 3 days of tries, let the order’s next event go, and are sent again on request', async () => {
    const { harness, receiver, clock } = await start(() => 500)
    const order = await paid(harness)
    await tried(harness, order.callerReference, 1, 'pending')
    // the refund's event waits behind the payment's
    await harness.admin(`/orders/${order.callerReference}/refund`, {})
    clock.advance(GIVE_UP_AFTER_MS)
    const failed = await tried(harness, order.callerReference, 2, 'failed')
    expect(failed.delivery).not.toHaveProperty('nextAttemptAt')
    const refund = await receiver.waitFor(3)
    expect(JSON.parse(refund[2]!.body)).toMatchObject({
      type: 'order.refunded',
      data: { refund: { amount: '2.00', full: true } },
    })
    receiver.answer(() => 204)
    const again = await harness.admin(`/events/${failed.event.id}/redeliver`, {})
    expect(again.status).toBe(200)
    expect((again.json as { event: EventRecord }).event.delivery).toMatchObject({
      state: 'pending',
      nextAttemptAt: expect.any(String),
    })
    const record = await tried(harness, order.callerReference, 3, 'delivered')
    expect(record.delivery.attempts.map((attempt) => attempt.statusCode)).toEqual([500, 500, 204])
    expect(harness.logs.join('\n')).toContain('event given up after 3 days of tries')
  })
})

describe('GET /admin/events', () => {
  it('needs the admin token, and so does a redelivery', async () => {
    const { harness } = await start(() => 204)
    for (const authorization of [undefined, 'Bearer wrong-token-wrong-token']) {
      const headers = authorization ? { authorization } : {}
      for (const [method, path] of [
        ['GET', '/admin/events'],
        ['POST', '/admin/events/evt_x/redeliver'],
      ] as const) {
        const response = await harness.request(path, { method, headers })
        expect(response.status).toBe(401)
      }
    }
  })

  it('lists events newest first, page after page, by order and by type', async () => {
    const { harness, receiver } = await start(() => 204)
    const first = await paid(harness)
    const second = await paid(harness)
    await harness.admin(`/orders/${second.callerReference}/refund`, { amount: '0.50' })
    await receiver.waitFor(3)
    const all = await events(harness, 'limit=500')
    const ours = all.events.filter(({ event }) =>
      [first.callerReference, second.callerReference].includes(event.data.order.callerReference)
    )
    expect(ours.map(({ event }) => [event.data.order.callerReference, event.type])).toEqual([
      [second.callerReference, 'order.refunded'],
      [second.callerReference, 'order.paid'],
      [first.callerReference, 'order.paid'],
    ])
    const pages: string[] = []
    let cursor = ''
    do {
      const page = await events(harness, `limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      pages.push(...page.events.map(({ event }) => event.id))
      cursor = page.next ?? ''
    } while (cursor)
    expect(pages).toEqual(all.events.map(({ event }) => event.id))
    const refunds = await events(harness, 'type=order.refunded')
    expect(refunds.events.map(({ event }) => event.data.order.callerReference)).toEqual([
      second.callerReference,
    ])
    expect((await harness.admin('/events?type=order.shipped')).json.error?.code).toBe(
      'invalid_request'
    )
    const missing = await harness.request('/admin/events/evt_missing/redeliver', {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    })
    expect(missing.status).toBe(404)
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe(
      'event_not_found'
    )
  })
})
