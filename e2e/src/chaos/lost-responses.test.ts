import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Harness } from '../../../packages/signer/src/testing/harness.js'
import { none, report } from './figures.js'
import { type PayDropper, payDropper } from './pay-dropper.js'
import { authorizedOrder, inLanes, ledgerPays, openSignerStore, retry, startRig } from './rig.js'
import { SCALE } from './scale.js'

/** Buyers checking out at once; Pay calls themselves reach the sandbox one at a time. */
const LANES = 16

let h: Harness
let dropper: PayDropper

beforeAll(async () => {
  h = await startRig()
  dropper = payDropper(h.sandbox, 1 / 3)
  // One quick resend inside the request, then the buyer's page posts the return again: with a
  // third of answers lost, both ways of recovering run often (and no order waits out 8 s of backoff).
  await h.restartSigner({ fetch: dropper.fetch, maxRetries: 1 })
})
afterAll(() => h?.close())

/** Posts the return as the return page does, again while the signer says it may (a 502 retriable). */
async function returnUntilAnswered(query: string) {
  let retries = 0
  let last = ''
  const answer = await retry(12, async () => {
    const back = await h.returnWith(query)
    if (back.status !== 502 || !back.json.error?.retriable) return back
    retries += 1
    last = back.json.error.message
    return undefined
  }).catch((error: Error) => {
    throw new Error(`${error.message} The last: ${last}`)
  })
  return { ...answer, retries }
}

it(
  `completes ${SCALE.purchases} purchases, each charged once, while a third of Pay answers are lost`,
  async () => {
    const started = performance.now()
    // Bank balance (ABT) pays at once; every other buyer pays by card, Pending until it settles.
    const outcomes = await inLanes(Array.from({ length: SCALE.purchases }), LANES, async (_, i) => {
      const { callerReference, query } = await authorizedOrder(h, 'Lost', i % 2 ? 'CC' : 'ABT')
      return { callerReference, ...(await returnUntilAnswered(query)) }
    })
    const seconds = (performance.now() - started) / 1000
    await h.sandbox.whenIdle()
    const store = openSignerStore(h.signerOptions.databaseUrl)
    const orders = await store
      .listOrders({ limit: SCALE.purchases + 100 })
      .finally(() => store.close())
    const pays = ledgerPays(h)
    const charged = new Set(pays.map((pay) => pay.callerReference))
    const notSuccess = orders.filter((order) => order.status !== 'success')
    const { pays: calls, dropped } = dropper.counts
    report('lost', 'Lost Pay answers', [
      { name: 'lost_purchases', value: outcomes.length, unit: 'purchases' },
      { name: 'lost_pay_calls', value: calls, unit: 'calls', note: 'Pay requests the signer sent' },
      {
        name: 'lost_dropped_answers',
        value: dropped,
        unit: 'answers',
        note: `${((100 * dropped) / Math.max(calls, 1)).toFixed(1)}% of Pay calls, committed then dropped`,
      },
      {
        name: 'lost_return_retries',
        value: outcomes.reduce((sum, outcome) => sum + outcome.retries, 0),
        unit: 'returns',
        note: 'buyers told 502 retriable, who posted the return again',
      },
      none('lost_orders_not_success', notSuccess.length, 'orders'),
      {
        name: 'lost_ledger_charges',
        value: pays.length,
        unit: 'Pay',
        target: { op: '<=', value: outcomes.length },
      },
      none('lost_uncharged_orders', orders.length - charged.size, 'orders'),
      { name: 'lost_purchase_rate', value: outcomes.length / seconds, unit: 'purchases/s' },
    ])

    expect(dropped).toBeGreaterThan(0)
    const answered = new Set(outcomes.map((outcome) => outcome.json.order?.status))
    expect([...answered].filter((status) => status !== 'success' && status !== 'pending')).toEqual(
      []
    )
    expect(orders).toHaveLength(SCALE.purchases)
    expect(notSuccess).toEqual([])
    expect(pays).toHaveLength(SCALE.purchases)
    expect(charged.size).toBe(SCALE.purchases)
    for (const order of orders) {
      const pay = pays.find((p) => p.callerReference === order.callerReference)
      expect(order.transactionId).toBe(pay?.id)
      expect(pay?.amount).toBe(order.amountCents)
    }
    // A lost answer costs at most one resend of the stored request (none if the IPN came first).
    expect(calls).toBeGreaterThanOrEqual(SCALE.purchases)
    expect(calls).toBeLessThanOrEqual(SCALE.purchases + dropped)
  },
  SCALE.timeoutMs
)
