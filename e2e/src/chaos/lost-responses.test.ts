import { createSigner, type Store, type SweepReport } from '@fps-checkout/signer'
import type { Harness } from '@fps-checkout/signer/testing'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { none } from '../figures.js'
import { type Adversary, adversary, withAdversary } from './adversary.js'
import { AttackerTraffic } from './attack-traffic.js'
import { report } from './figures.js'
import { checkLedger } from './ledger-check.js'
import { type PayDropper, payDropper } from './pay-dropper.js'
import { authorizedOrder, inLanes, ledgerPays, openSignerStore, retry, startRig } from './rig.js'
import { SCALE } from './scale.js'
import { runSeed, stream } from './seed.js'
import { SignerLog } from './signer-log.js'

/** Buyers checking out at once; Pay calls themselves reach the sandbox one at a time. */
const LANES = 16

let h: Harness
let dropper: PayDropper
let mallory: Adversary
let store: Store | undefined
/** Which Pay answers are lost, and what the attacker sends about which orders. */
let seed: number
const log = new SignerLog()

beforeAll(async () => {
  const { options, attacker } = withAdversary()
  h = await startRig({}, options)
  seed = runSeed('lost')
  dropper = payDropper(h.sandbox, 1 / 3, stream(seed, 'dropped answers'))
  // One quick resend inside the request, then the buyer's page posts the return again: with a
  // third of answers lost, both ways of recovering run often (and no order waits out 8 s of backoff).
  await h.restartSigner({ fetch: dropper.fetch, maxRetries: 1, log: log.sink })
  // the attacker's Pays never meet a drop armed for one of the signer's
  mallory = adversary(h, attacker, { fetch: dropper.quiet })
})
afterAll(async () => {
  await store?.close()
  await h?.close()
})

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

/**
 * The sweep a later moment would run, by a signer of its own on the same database that takes every
 * order as due and loses no answers: what FPS stopped telling (an IPN it gave up resending while
 * its Pay was unanswered) it learns by asking.
 */
async function sweepEverything(): Promise<SweepReport> {
  const sweeper = createSigner({ ...h.signerOptions, fetch: globalThis.fetch, recoverAfterMs: 1 })
  try {
    return await sweeper.sweep()
  } finally {
    await sweeper.close()
  }
}

it(
  `completes ${SCALE.purchases} purchases, each charged once, while a third of Pay answers are lost and an attacker meddles`,
  async () => {
    // FPS delivers the attacker's IPNs where its Pay says, and the signer verifies them there
    const ipnUrl = `${h.signerUrl}/ipn`
    expect(h.signerOptions.ipnUrl).toBe(ipnUrl)
    const attacks = new AttackerTraffic(h, mallory, {
      target: { signerUrl: () => h.signerUrl, ipnUrl: () => ipnUrl },
      seed,
      share: SCALE.attackShare,
      log,
    })
    const started = performance.now()
    // Bank balance (ABT) pays at once; every other buyer pays by card, Pending until it settles.
    const outcomes = await inLanes(Array.from({ length: SCALE.purchases }), LANES, async (_, i) => {
      const method = i % 2 ? 'CC' : 'ABT'
      const { callerReference, query } = await authorizedOrder(h, 'Lost', method, attacks.sighted)
      return { callerReference, ...(await returnUntilAnswered(query)) }
    })
    const seconds = (performance.now() - started) / 1000
    await attacks.done()
    await h.sandbox.whenIdle()
    const swept = await sweepEverything()
    store = openSignerStore(h.signerOptions.databaseUrl)
    const orders = await store.listOrders({ limit: SCALE.purchases + 100 })
    const ledger = await checkLedger(h, store, 'lost', log)
    const accepted = await attacks.accepted(store, ledger.mismatches)
    const pays = ledgerPays(h)
    const charged = new Set(pays.map((pay) => pay.callerReference))
    const notSuccess = orders.filter((order) => order.status !== 'success')
    const { pays: calls, dropped } = dropper.counts
    report('lost', 'Lost Pay answers', [
      {
        name: 'lost_purchases',
        value: outcomes.length,
        unit: 'purchases',
        note: `seed ${seed} (CHAOS_SEED=${seed} repeats the drops and the attacker's choices)`,
      },
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
      {
        name: 'lost_left_to_sweep',
        value: swept.resent + swept.recovered + swept.settled + swept.expired,
        unit: 'orders',
        note: 'still open after the run, finished by a sweep (an IPN FPS gave up resending)',
      },
      none('lost_orders_not_success', notSuccess.length, 'orders'),
      {
        name: 'lost_ledger_charges',
        value: pays.length,
        unit: 'Pay',
        target: { op: '<=', value: outcomes.length },
      },
      none('lost_uncharged_orders', orders.length - charged.size, 'orders'),
      ledger.figure,
      ...attacks.figures('lost', accepted),
      { name: 'lost_purchase_rate', value: outcomes.length / seconds, unit: 'purchases/s' },
    ])

    expect(ledger.mismatches.length, ledger.explained).toBe(0)
    expect(accepted).toEqual([])
    expect(attacks.failures).toEqual([])
    // the attacker's genuine IPNs verified at the IPN URL, and were refused only by their binding
    const fates = [...attacks.foreignIpnFates().values()]
    expect(fates.length).toBeGreaterThan(0)
    expect(fates.filter((fate) => fate.startsWith('unbound')).length).toBeGreaterThan(0)

    expect(swept.failed).toBe(0)
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
