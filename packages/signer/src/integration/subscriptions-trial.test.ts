import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FpsClient } from '@fps-checkout/protocol'
import type { OrderView } from '@fps-checkout/signer/http'
import { Harness, testClock } from '@fps-checkout/signer/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSqlStore } from '../store/sql-store.js'
import { openSqlite } from '../store/sqlite.js'
import type { Store } from '../store/types.js'

const DAY_MS = 86_400_000
/** A month of the plan: 30 days, as FPS's sandbox counts a Recurring token's periods. */
const MONTH_MS = 30 * DAY_MS
/** Past the sweep's recover-after (5 minutes). */
const RECOVER_MS = 6 * 60_000

const clock = testClock()
const dir = mkdtempSync(join(tmpdir(), 'signer-trial-'))
/** The signer's own store, opened here too, to stage a state only a crash leaves. */
let store: Store
let h: Harness

beforeAll(async () => {
  store = createSqlStore(openSqlite(`file:${join(dir, 'signer.db')}`))
  h = await Harness.start({
    signer: {
      now: clock.now,
      store,
      catalog: {
        items: {
          'streaming-trial': { price: '4.99', every: '1 Month', trialDays: 14 },
          'streaming-trial-term': {
            price: '3.00',
            every: '1 Month',
            trialDays: 7,
            validity: '2 Months',
          },
          'declined-trial': { price: '4.60', every: '1 Month', trialDays: 3 },
          'streaming-monthly': { price: '4.99', every: '1 Month' },
        },
      },
    },
    sandbox: { now: clock.now },
  })
})
afterAll(async () => {
  await h?.close()
  rmSync(dir, { recursive: true, force: true })
})

/** Checks out a plan and walks the payment pages; answers the order and the return's query. */
async function authorizePlan(item: string, price: string) {
  const { json } = await h.checkout({ amount: price, reason: `Plan ${item}`, item })
  const url = new URL(json.url!)
  expect(url.searchParams.get('pipelineName')).toBe('Recurring')
  return { reference: json.callerReference!, url, query: await h.authorize(json.url!) }
}

async function subscribe(item: string, price: string) {
  const { reference, url, query } = await authorizePlan(item, price)
  const back = await h.returnWith(query)
  expect(back.status).toBe(200)
  return { reference, url, query, order: back.json.order!, token: back.json.accessToken! }
}

async function orderOf(reference: string, token: string): Promise<OrderView> {
  return (await h.order(reference, token)).json.order!
}

describe('a plan with a free trial', () => {
  it('charges nothing at the sign-up, which FPS itself would refuse, then period 1 when the trial ends and each period after', async () => {
    const { reference, url, query, order, token } = await subscribe('streaming-trial', '4.99')
    const checkoutAt = Date.parse(order.createdAt)
    const trialEnds = checkoutAt + 14 * DAY_MS
    // the token FPS signs is not valid before the trial ends
    expect(Number(url.searchParams.get('validityStart'))).toBe(Math.floor(trialEnds / 1000))
    expect(order).toMatchObject({ status: 'authorized', amount: '4.99' })
    const started = await orderOf(reference, token)
    expect(started.subscription).toMatchObject({
      status: 'trialing',
      chargedPeriods: 0,
      trialEndsAt: new Date(trialEnds).toISOString(),
      nextChargeAt: new Date(trialEnds).toISOString(),
    })
    expect(h.pays(reference)).toEqual([])
    // FPS itself refuses to charge the token before the trial ends, whoever asks
    const fps = new FpsClient({ ...h.key, endpoint: `${h.sandboxUrl}/`, now: clock.now })
    const early = await fps
      .pay({
        SenderTokenId: new URLSearchParams(query).get('tokenID')!,
        TransactionAmount: { CurrencyCode: 'USD', Value: '4.99' },
        CallerReference: `${reference}-early`,
      })
      .catch((caught: unknown) => caught)
    expect(early).toMatchObject({ code: 'TokenNotActive_Sender' })

    // the return sent again charges nothing and starts nothing more
    expect((await h.returnWith(query)).json.order?.status).toBe('authorized')
    // a day before the trial ends, a sweep (the recover-after long past) charges nothing
    clock.advance(13 * DAY_MS)
    await expect(h.signer.sweep()).resolves.toMatchObject({ charged: 0, settled: 0, failed: 0 })
    expect(h.pays(reference)).toEqual([])

    clock.advance(DAY_MS)
    const reports = await Promise.all([h.signer.sweep(), h.signer.sweep()])
    expect(reports.some((report) => report.charged === 1)).toBe(true)
    clock.advance(MONTH_MS)
    await expect(h.signer.sweep()).resolves.toMatchObject({ charged: 1, failed: 0 })
    await expect(h.signer.sweep()).resolves.toMatchObject({ charged: 0, failed: 0 })
    expect(h.pays(reference)).toEqual([
      { callerReference: `${reference}-1-1`, amount: 499, status: 'Success' },
      { callerReference: `${reference}-2-1`, amount: 499, status: 'Success' },
    ])
    const later = await orderOf(reference, token)
    expect(later.status).toBe('authorized')
    expect(later.subscription).toMatchObject({
      status: 'active',
      chargedPeriods: 2,
      nextChargeAt: new Date(trialEnds + 2 * MONTH_MS).toISOString(),
    })
    expect(await h.eventTypes(reference)).toEqual([
      'subscription.created',
      'subscription.charged',
      'subscription.charged',
    ])
    const { disagreements } = await h.signer.reconcileLedger({
      from: new Date(checkoutAt - 60_000).toISOString(),
    })
    expect(disagreements).toEqual([])
  })

  it('is cancelled by its buyer during the trial: the token is cancelled and nothing is ever charged', async () => {
    const { reference, token } = await subscribe('streaming-trial', '4.99')
    const cancelled = await h.request(`/orders/${reference}/cancel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    })
    expect(cancelled.status).toBe(200)
    const { order } = (await cancelled.json()) as { order: OrderView }
    expect(order).toMatchObject({ status: 'authorized' })
    expect(order.subscription).toMatchObject({ status: 'cancelled', chargedPeriods: 0 })
    const installed = [...h.sandbox.state.tokens.values()].find(
      (candidate) => candidate.callerReference === reference
    )
    expect(installed?.status).toBe('Inactive')
    clock.advance(2 * MONTH_MS)
    await h.signer.sweep()
    expect(h.pays(reference)).toEqual([])
    expect(await h.eventTypes(reference)).toEqual([
      'subscription.created',
      'subscription.cancelled',
    ])
  })

  it('counts its validity from the end of the trial: two periods charged, then it ends', async () => {
    const { reference, url, token, order } = await subscribe('streaming-trial-term', '3.00')
    const trialEnds = Date.parse(order.createdAt) + 7 * DAY_MS
    expect(Number(url.searchParams.get('validityExpiry'))).toBe(
      Math.ceil((trialEnds + 2 * MONTH_MS) / 1000)
    )
    for (let month = 0; month < 4; month++) {
      clock.advance(month === 0 ? 7 * DAY_MS : MONTH_MS)
      await h.signer.sweep()
    }
    expect(h.pays(reference).map((pay) => pay.callerReference)).toEqual([
      `${reference}-1-1`,
      `${reference}-2-1`,
    ])
    expect((await orderOf(reference, token)).subscription).toMatchObject({
      status: 'ended',
      chargedPeriods: 2,
    })
  })

  it('whose first charge is declined goes past due after the trial, retrying under a new reference', async () => {
    const { reference, token } = await subscribe('declined-trial', '4.60')
    clock.advance(3 * DAY_MS)
    await h.signer.sweep()
    const view = await orderOf(reference, token)
    expect(view.status).toBe('authorized')
    expect(view.subscription).toMatchObject({ status: 'past_due', chargedPeriods: 0 })
    clock.advance(DAY_MS)
    await h.signer.sweep()
    expect(h.pays(reference)).toEqual([
      { callerReference: `${reference}-1-1`, amount: 460, status: 'Failure' },
      { callerReference: `${reference}-1-2`, amount: 460, status: 'Failure' },
    ])
    expect((await h.eventTypes(reference)).slice(0, 2)).toEqual([
      'subscription.created',
      'subscription.past_due',
    ])
  })

  it('is started by the sweep when the buyer never came back, its sign-up authorized and not left pending', async () => {
    const { reference } = await authorizePlan('streaming-trial', '4.99')
    clock.advance(RECOVER_MS)
    await expect(h.signer.sweep()).resolves.toMatchObject({ recovered: 1, failed: 0 })
    const view = (await h.orderAsAdmin(reference)).json.order!
    expect(view.status).toBe('authorized')
    expect(view.subscription).toMatchObject({ status: 'trialing', chargedPeriods: 0 })
    expect(h.pays(reference)).toEqual([])
  })
})

describe('a plan without a trial', () => {
  it('whose subscription was cancelled before its first charge (a crash between the two) has its sign-up cancelled, not left pending', async () => {
    const { reference, query } = await authorizePlan('streaming-monthly', '4.99')
    const tokenId = new URLSearchParams(query).get('tokenID')!
    // what a process that died right after starting the subscription leaves behind
    const at = clock.now().toISOString()
    await store.transition(reference, {
      from: ['created'],
      to: 'pending',
      note: 'Authorized.',
      at,
      set: { tokenId },
    })
    const order = (await store.getOrder(reference))!
    await store.insertSubscription(
      {
        callerReference: reference,
        plan: 'streaming-monthly',
        every: '1 Month',
        amount: order.amount,
        amountCents: order.amountCents,
        currencyCode: order.currencyCode,
        tokenId,
        status: 'active',
        period: 1,
        attempt: 1,
        dueAt: at,
        anchorAt: at,
        endsAt: undefined,
        trialEndsAt: undefined,
        createdAt: at,
      },
      'Subscribed.'
    )
    const cancelled = await h.admin(`/subscriptions/${reference}/cancel`, {})
    expect(cancelled.status).toBe(200)

    clock.advance(RECOVER_MS)
    await expect(h.signer.sweep()).resolves.toMatchObject({ settled: 1, failed: 0 })
    expect((await store.getOrder(reference))?.status).toBe('cancelled')
    expect(h.pays(reference)).toEqual([])
    // nothing left for the next sweep to look at
    clock.advance(RECOVER_MS)
    await expect(h.signer.sweep()).resolves.toMatchObject({ settled: 0, charged: 0, failed: 0 })
  })
})
