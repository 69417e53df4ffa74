import { Harness, type TestClock, testClock } from '@fps-checkout/signer/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { retryDelayMs } from '../events/outbox.js'
import type { EventsPage, SignerEvent } from '../http/contract.js'

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

/** A harness whose signer hands its events to `onEvent`, on a clock the test moves on. */
async function start(onEvent: (event: SignerEvent) => Promise<void>, clock: TestClock) {
  h = await Harness.start({ signer: { onEvent, now: clock.now } })
  return h
}

async function paid(harness: Harness, amount = '1.00') {
  const { json } = await harness.checkout({ amount, reason: 'Events' })
  const back = await harness.returnWith(await harness.authorize(json.url!))
  expect(back.json.order?.status).toBe('success')
  return back.json.order!
}

/** The admin API's view of an order's events, newest first. */
async function events(harness: Harness, callerReference: string): Promise<EventsPage> {
  return (await harness.admin(`/events?callerReference=${callerReference}`)).json as EventsPage
}

/** Polls (real time) until `done` holds: for what the delivery loop does in the background. */
async function until(done: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('It did not happen in 10 s.')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('onEvent', () => {
  it('gets each change of an order with the order as it then stood', async () => {
    const seen: SignerEvent[] = []
    const harness = await start(async (event) => {
      seen.push(event)
    }, testClock())
    const order = await paid(harness)
    await harness.admin(`/orders/${order.callerReference}/refund`, { amount: '0.40' })
    await harness.admin(`/orders/${order.callerReference}/refund`, {})
    await until(() => seen.length === 3)
    expect(seen.map((event) => event.type)).toEqual([
      'order.paid',
      'order.refunded',
      'order.refunded',
    ])
    expect(seen[0]).toEqual({
      id: expect.stringMatching(/^evt_[0-9a-f]{34}$/),
      type: 'order.paid',
      timestamp: order.updatedAt,
      data: { order: { ...order, history: undefined } },
    })
    expect(seen.slice(1).map((event) => event.type === 'order.refunded' && event.data)).toEqual([
      {
        order: expect.objectContaining({ status: 'refunded', refundedAmount: '0.40' }),
        refund: { amount: '0.40', full: false },
      },
      {
        order: expect.objectContaining({ status: 'refunded', refundedAmount: '1.00' }),
        refund: { amount: '0.60', full: true },
      },
    ])
    const history = (await harness.orderAsAdmin(order.callerReference)).json.order?.history
    expect(history?.map((line) => line.status)).toEqual([
      'created',
      'pending',
      'success',
      'refunded',
      'refunded',
    ])
  })

  it('is awaited, and a rejection is tried again with backoff until it resolves, in order', async () => {
    const clock = testClock()
    const seen: string[] = []
    let failures = 2
    const harness = await start(async (event) => {
      seen.push(event.type)
      if (failures-- > 0) throw new Error('the shop is restarting')
    }, clock)
    const order = await paid(harness)
    const tries = async () => (await events(harness, order.callerReference)).events
    await until(async () => (await tries())[0]?.delivery.attempts.length === 1)
    // the refund's event waits behind the payment's, which is still to be delivered
    await harness.admin(`/orders/${order.callerReference}/refund`, {})
    const [paidEvent] = await tries().then((list) =>
      list.filter((e) => e.event.type === 'order.paid')
    )
    expect(paidEvent?.delivery).toMatchObject({
      state: 'pending',
      attempts: [{ durationMs: expect.any(Number), error: 'the shop is restarting' }],
    })
    const { attempts, nextAttemptAt } = paidEvent!.delivery
    const wait = Date.parse(nextAttemptAt!) - Date.parse(attempts[0]!.at)
    expect(wait - retryDelayMs(1)).toBeGreaterThanOrEqual(0)
    expect(wait - retryDelayMs(1)).toBeLessThan(1_000)
    expect(seen).toEqual(['order.paid'])
    clock.advance(retryDelayMs(1))
    await until(() => seen.length === 2)
    clock.advance(retryDelayMs(2))
    await until(() => seen.length === 4)
    expect(seen).toEqual(['order.paid', 'order.paid', 'order.paid', 'order.refunded'])
    const [refunded, delivered] = await tries()
    expect(delivered?.delivery).toMatchObject({
      state: 'delivered',
      deliveredAt: expect.any(String),
    })
    expect(delivered?.delivery.attempts.map((attempt) => attempt.error)).toEqual([
      'the shop is restarting',
      'the shop is restarting',
      undefined,
    ])
    expect(refunded?.delivery).toMatchObject({ state: 'delivered', attempts: [{}] })
  })

  it('that never settles holds back no checkout, return or other order', async () => {
    const seen: string[] = []
    const stuck = new Promise<void>(() => undefined)
    const harness = await start(async (event) => {
      seen.push(event.data.order.callerReference)
      if (seen.length === 1) await stuck
    }, testClock())
    const first = await paid(harness)
    await until(() => seen.length === 1)
    const started = Date.now()
    const second = await paid(harness)
    expect(Date.now() - started).toBeLessThan(5_000)
    await until(() => seen.length === 2)
    expect(seen).toEqual([first.callerReference, second.callerReference])
  })
})
