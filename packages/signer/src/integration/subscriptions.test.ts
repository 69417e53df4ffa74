import { FpsClient } from '@fps-checkout/protocol'
import type { OrderView } from '@fps-checkout/signer/http'
import { Harness, testClock } from '@fps-checkout/signer/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const DAY_MS = 86_400_000
/** A month of the plan: 30 days, as FPS's sandbox counts a Recurring token's periods. */
const MONTH_MS = 30 * DAY_MS

const clock = testClock()
let h: Harness

beforeAll(async () => {
  h = await Harness.start({
    signer: {
      now: clock.now,
      catalog: {
        items: {
          'streaming-monthly': { price: '4.99', every: '1 Month' },
          'declined-monthly': { price: '4.60', every: '1 Month' },
          'declined-once-monthly': { price: '4.61', every: '1 Month' },
          'streaming-year': { price: '2.00', every: '1 Month', validity: '2 Months' },
          song: { price: '0.99' },
        },
      },
    },
    sandbox: { now: clock.now },
  })
})
afterAll(() => h?.close())

/** Signs the buyer up to a plan through the Recurring pipeline; answers the return's order and token. */
async function subscribe(item: string, price: string) {
  const { json } = await h.checkout({ amount: price, reason: `Plan ${item}`, item })
  const url = new URL(json.url!)
  expect(url.searchParams.get('pipelineName')).toBe('Recurring')
  expect(url.searchParams.get('recurringPeriod')).toBe('1 Month')
  const back = await h.returnWith(await h.authorize(json.url!))
  return {
    order: back.json.order!,
    token: back.json.accessToken!,
    reference: json.callerReference!,
  }
}

async function subscriptionOf(reference: string, token: string): Promise<OrderView> {
  const { json } = await h.order(reference, token)
  return json.order!
}

describe('a subscription', () => {
  it('charges its first period at the return, then each period once as it falls due, however often and from however many sweeps', async () => {
    const { order, token, reference } = await subscribe('streaming-monthly', '4.99')
    expect(order).toMatchObject({ status: 'success', amount: '4.99', item: 'streaming-monthly' })
    const started = await subscriptionOf(reference, token)
    expect(started.subscription).toMatchObject({
      plan: 'streaming-monthly',
      every: '1 Month',
      amount: '4.99',
      status: 'active',
      chargedPeriods: 1,
    })
    expect(
      Date.parse(started.subscription!.nextChargeAt!) - Date.parse(order.createdAt)
    ).toBeGreaterThanOrEqual(MONTH_MS - 60_000)

    // not due yet: nothing is charged
    await expect(h.signer.sweep()).resolves.toMatchObject({ charged: 0, failed: 0 })
    expect(h.pays(reference)).toHaveLength(1)

    for (const period of [2, 3, 4]) {
      clock.advance(MONTH_MS)
      // two sweeps at once, then another: one charge in the ledger
      const reports = await Promise.all([h.signer.sweep(), h.signer.sweep()])
      expect(reports.some((report) => report.charged === 1)).toBe(true)
      await expect(h.signer.sweep()).resolves.toMatchObject({ charged: 0, failed: 0 })
      expect(h.pays(reference)).toHaveLength(period)
    }
    expect(h.pays(reference)).toEqual([
      { callerReference: reference, amount: 499, status: 'Success' },
      { callerReference: `${reference}-2-1`, amount: 499, status: 'Success' },
      { callerReference: `${reference}-3-1`, amount: 499, status: 'Success' },
      { callerReference: `${reference}-4-1`, amount: 499, status: 'Success' },
    ])
    expect((await subscriptionOf(reference, token)).subscription).toMatchObject({
      status: 'active',
      chargedPeriods: 4,
    })
    expect(await h.eventTypes(reference)).toEqual([
      'subscription.created',
      'order.paid',
      'subscription.charged',
      'subscription.charged',
      'subscription.charged',
      'subscription.charged',
    ])
  })

  it('is cancelled by its buyer: the token is cancelled at FPS and no period is charged after', async () => {
    const { token, reference } = await subscribe('streaming-monthly', '4.99')
    const cancelled = await h.request(`/orders/${reference}/cancel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    })
    expect(cancelled.status).toBe(200)
    const { order } = (await cancelled.json()) as { order: OrderView }
    expect(order.status).toBe('success')
    expect(order.subscription).toMatchObject({ status: 'cancelled', chargedPeriods: 1 })
    expect(order.subscription?.nextChargeAt).toBeUndefined()
    const installed = [...h.sandbox.state.tokens.values()].find(
      (candidate) => candidate.callerReference === reference
    )
    expect(installed?.status).toBe('Inactive')

    clock.advance(2 * MONTH_MS)
    await h.signer.sweep()
    expect(h.pays(reference)).toHaveLength(1)
    expect((await h.eventTypes(reference)).at(-1)).toBe('subscription.cancelled')
  })

  it('is cancelled by the merchant through the admin API, and listed there', async () => {
    const { reference } = await subscribe('streaming-monthly', '4.99')
    const listed = await h.admin('/subscriptions?status=active&limit=500')
    expect(JSON.stringify(listed.json)).toContain(reference)
    const { status, json } = await h.admin(`/subscriptions/${reference}/cancel`, {})
    expect(status).toBe(200)
    expect(json).toMatchObject({
      subscription: { callerReference: reference, status: 'cancelled' },
    })
    const missing = await h.admin('/subscriptions/ord_nothing_here/cancel', {})
    expect(missing.status).toBe(404)
    expect(missing.json.error?.code).toBe('subscription_not_found')
  })

  it('goes past due when a period is declined, retries it on a new CallerReference, and is cancelled after the last try', async () => {
    const { order, token, reference } = await subscribe('declined-monthly', '4.60')
    expect(order.status).toBe('failure')
    expect((await subscriptionOf(reference, token)).subscription).toMatchObject({
      status: 'past_due',
      chargedPeriods: 0,
    })
    for (const days of [1, 3, 7]) {
      clock.advance(days * DAY_MS)
      await h.signer.sweep()
    }
    expect(h.pays(reference).map((pay) => pay.callerReference)).toEqual([
      reference,
      `${reference}-1-2`,
      `${reference}-1-3`,
      `${reference}-1-4`,
    ])
    expect(h.pays(reference).every((pay) => pay.status === 'Failure')).toBe(true)
    expect((await subscriptionOf(reference, token)).subscription?.status).toBe('cancelled')
    expect(await h.eventTypes(reference)).toEqual([
      'subscription.created',
      'order.failed',
      'subscription.past_due',
      'subscription.cancelled',
    ])
  })

  it('retries a temporary decline a day later and succeeds, keeping its schedule', async () => {
    const { order, token, reference } = await subscribe('declined-once-monthly', '4.61')
    expect(order.status).toBe('failure')
    clock.advance(DAY_MS)
    await expect(h.signer.sweep()).resolves.toMatchObject({ charged: 1, failed: 0 })
    const { subscription } = await subscriptionOf(reference, token)
    expect(subscription).toMatchObject({ status: 'active', chargedPeriods: 1 })
    // the second period falls due a month after the first began, not after the retry
    const due = Date.parse(subscription!.nextChargeAt!) - Date.parse(order.createdAt)
    expect(due).toBeGreaterThanOrEqual(MONTH_MS - 60_000)
    expect(due).toBeLessThan(MONTH_MS + 60_000)
    expect(h.pays(reference)).toEqual([
      { callerReference: reference, amount: 461, status: 'Failure' },
      { callerReference: `${reference}-1-2`, amount: 461, status: 'Success' },
    ])
    expect(await h.eventTypes(reference)).toEqual([
      'subscription.created',
      'order.failed',
      'subscription.past_due',
      'subscription.charged',
    ])
  })

  it("goes past due when FPS refuses a period for the buyer's balance, and retries it a day later under a new reference", async () => {
    // dave has $5.00 in his Amazon Payments balance: the first period takes all but a cent
    const { json } = await h.checkout({ amount: '4.99', reason: 'Plan', item: 'streaming-monthly' })
    const query = await h.authorize(json.url!, { buyer: 'dave', method: 'ABT' })
    const reference = json.callerReference!
    const back = await h.returnWith(query)
    expect(back.json.order?.status).toBe('success')
    // (the other tests' subscriptions are charged by the same sweeps)
    clock.advance(MONTH_MS)
    await expect(h.signer.sweep()).resolves.toMatchObject({ failed: 0 })
    const { subscription } = await subscriptionOf(reference, back.json.accessToken!)
    expect(subscription).toMatchObject({ status: 'past_due', chargedPeriods: 1 })
    expect(Date.parse(subscription!.nextChargeAt!) - clock.now().getTime()).toBeGreaterThan(
      DAY_MS - 60_000
    )
    expect((await h.orderAsAdmin(`${reference}-2-1`)).json.order?.status).toBe('failure')
    clock.advance(DAY_MS)
    await expect(h.signer.sweep()).resolves.toMatchObject({ failed: 0 })
    expect((await h.orderAsAdmin(`${reference}-2-2`)).json.order?.status).toBe('failure')
    // FPS made no transaction of the refused tries
    expect(h.pays(reference)).toEqual([
      { callerReference: reference, amount: 499, status: 'Success' },
    ])
    expect((await h.eventTypes(reference)).slice(-1)).toEqual(['subscription.past_due'])
  })

  it('ends when FPS cancels its token: told by IPN, or found when a charge is refused', async () => {
    const fps = new FpsClient({ ...h.key, endpoint: `${h.sandboxUrl}/`, now: clock.now })
    const tokenOf = (reference: string) =>
      [...h.sandbox.state.tokens.values()].find((token) => token.callerReference === reference)!.id

    // the token is cancelled at FPS (not by the signer); FPS's IPN ends the subscription
    const told = await subscribe('streaming-monthly', '4.99')
    await fps.cancelToken({ TokenId: tokenOf(told.reference) })
    await expect
      .poll(async () => (await subscriptionOf(told.reference, told.token)).subscription?.status)
      .toBe('cancelled')

    // no IPN reaches the signer: the next period's charge is refused, and FPS confirms why
    const found = await subscribe('streaming-monthly', '4.99')
    await fps.cancelToken({
      TokenId: tokenOf(found.reference),
      OverrideIPNURL: 'http://127.0.0.1:9/nowhere',
    })
    clock.advance(MONTH_MS)
    await h.signer.sweep()
    expect((await subscriptionOf(found.reference, found.token)).subscription).toMatchObject({
      status: 'cancelled',
      chargedPeriods: 1,
    })
    expect(h.pays(told.reference)).toHaveLength(1)
    expect(h.pays(found.reference)).toHaveLength(1)
  })

  it('ends when its plan is valid no longer', async () => {
    const { token, reference } = await subscribe('streaming-year', '2.00')
    for (let month = 0; month < 4; month++) {
      clock.advance(MONTH_MS)
      await h.signer.sweep()
    }
    expect(h.pays(reference)).toHaveLength(2)
    expect((await subscriptionOf(reference, token)).subscription?.status).toBe('ended')
    expect((await h.eventTypes(reference)).at(-1)).toBe('subscription.ended')
  })
})

describe('a purchase beside plans', () => {
  it('still signs a SingleUse pipeline and starts no subscription', async () => {
    const { json } = await h.checkout({ amount: '0.99', reason: 'A song', item: 'song' })
    expect(new URL(json.url!).searchParams.get('pipelineName')).toBe('SingleUse')
    const back = await h.returnWith(await h.authorize(json.url!))
    expect(back.json.order?.status).toBe('success')
    const order = await subscriptionOf(json.callerReference!, back.json.accessToken!)
    expect(order.subscription).toBeUndefined()
  })
})
