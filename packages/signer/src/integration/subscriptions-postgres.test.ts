import { Harness, RETURN_URL, testClock } from '@fps-checkout/signer/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase } from '../../test/postgres.js'
import { createSigner, type Signer } from '../app.js'
import type { SweepReport } from '../payments/sweep.js'
import { openStore } from '../store/open.js'
import type { Store } from '../store/types.js'

/** A month of the plan: 30 days, as FPS's sandbox counts a Recurring token's periods. */
const MONTH_MS = 30 * 86_400_000
const BUYERS = 6
/** Periods charged in all: the sign-up's, then one a month by the sweeps. */
const PERIODS = 5
/** Rounds of sweeps each period, each round four sweeps at once, two by each signer. */
const ROUNDS = 3
/** Sign-ups and four months of sweeps take about 5 s on two cores. */
const TIMEOUT_MS = 60_000

const catalog = { items: { 'streaming-monthly': { price: '4.99', every: '1 Month' } } }
/** The signers' and the sandbox's business time, moved a month at a time. */
const clock = testClock()
let h: Harness
let second: Signer
let store: Store
/** The Pay requests that left either signer, by CallerReference. */
const paysSent = new Map<string, number>()

/** Counts the Pay requests that leave either signer, whatever answers them. */
const countingFetch: typeof fetch = async (input, init) => {
  if (typeof init?.body === 'string' && /(^|&)Action=Pay(&|$)/.test(init.body)) {
    const reference = new URLSearchParams(init.body).get('CallerReference') ?? ''
    paysSent.set(reference, (paysSent.get(reference) ?? 0) + 1)
  }
  return fetch(input, init)
}

beforeAll(async () => {
  const databaseUrl = await createTestDatabase()
  h = await Harness.start({
    signer: { databaseUrl, catalog, now: clock.now, fetch: countingFetch },
    sandbox: { now: clock.now },
  })
  second = createSigner({
    ...h.key,
    apiUrl: `${h.sandboxUrl}/`,
    returnUrl: RETURN_URL,
    databaseUrl,
    catalog,
    leaseMs: h.signerOptions.leaseMs,
    now: clock.now,
    fetch: countingFetch,
    log: () => undefined,
  })
  await second.ready
  store = openStore(databaseUrl)
})

afterAll(async () => {
  await store?.close()
  await second?.close()
  await h?.close()
})

/** Subscribes buyer `n` through the Recurring pipeline; the return goes to one signer or the other. */
async function subscribe(n: number): Promise<string> {
  const { json } = await h.checkout({
    amount: '4.99',
    reason: 'Unlimited streaming',
    item: 'streaming-monthly',
  })
  const query = await h.authorize(json.url!)
  const response = await (n % 2 ? h.signer : second).app.request('/return', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  })
  const answer = (await response.json()) as { order?: { status: string } }
  expect(answer.order?.status).toBe('success')
  return json.callerReference!
}

/** The merchant's successful Pays at the sandbox, by the subscription and period they charged. */
function paidPeriods(references: readonly string[]): Map<string, number[]> {
  const periods = new Map<string, number[]>(references.map((ref) => [ref, []]))
  for (const txn of h.sandbox.state.transactions.values()) {
    if (txn.operation !== 'Pay' || txn.status !== 'Success') continue
    for (const ref of references) {
      if (txn.callerReference === ref) periods.get(ref)!.push(1)
      const match = txn.callerReference.startsWith(`${ref}-`)
        ? /^(\d+)-(\d+)$/.exec(txn.callerReference.slice(ref.length + 1))
        : null
      if (match) periods.get(ref)!.push(Number(match[1]))
    }
  }
  return periods
}

describe('two signers sharing one PostgreSQL', () => {
  it(
    `charge each period of ${BUYERS} subscriptions exactly once while both sweep at once, ${ROUNDS * 4} sweeps a period`,
    async () => {
      const references: string[] = []
      for (let n = 0; n < BUYERS; n++) references.push(await subscribe(n))
      const reports: SweepReport[] = []
      for (let period = 2; period <= PERIODS; period++) {
        clock.advance(MONTH_MS)
        for (let round = 0; round < ROUNDS; round++) {
          reports.push(
            ...(await Promise.all([
              h.signer.sweep(),
              second.sweep(),
              second.sweep(),
              h.signer.sweep(),
            ]))
          )
        }
        // each subscription charged once for this period, by one signer or the other
        const paid = paidPeriods(references)
        for (const ref of references) expect(paid.get(ref)).toHaveLength(period)
      }

      expect(reports.filter((report) => report.failed > 0)).toEqual([])
      // the sweeps together count each period they moved on once
      const charged = reports.reduce((sum, report) => sum + report.charged, 0)
      expect(charged).toBeGreaterThanOrEqual(BUYERS * (PERIODS - 1))

      const everyPeriod = Array.from({ length: PERIODS }, (_, i) => i + 1)
      const paid = paidPeriods(references)
      for (const ref of references) {
        // no period charged twice, none missed
        expect([...paid.get(ref)!].sort((a, b) => a - b)).toEqual(everyPeriod)
        const subscription = await store.getSubscription(ref)
        expect(subscription).toMatchObject({
          status: 'active',
          period: PERIODS + 1,
          chargedPeriods: PERIODS,
        })
        // one subscription.charged per period, in order
        const events = await store.listEvents({ callerReference: ref, limit: 100 })
        const periods = events
          .filter((event) => event.type === 'subscription.charged')
          .map((event) => event.subscription?.charge?.period)
          .reverse()
        expect(periods).toEqual(everyPeriod)
        // one Pay request sent for each period: none was sent again, none sent by both signers
        for (const period of everyPeriod) {
          const reference = period === 1 ? ref : `${ref}-${period}-1`
          expect(paysSent.get(reference), reference).toBe(1)
          expect(await store.getOrder(reference)).toMatchObject({ status: 'success' })
        }
      }
      // every Pay the sandbox took was a period of one of these subscriptions
      const pays = [...h.sandbox.state.transactions.values()].filter(
        (txn) => txn.operation === 'Pay'
      )
      expect(pays).toHaveLength(BUYERS * PERIODS)
    },
    TIMEOUT_MS
  )
})
