import { setTimeout as sleep } from 'node:timers/promises'
import { parseReturn } from '@fps-checkout/protocol'
import {
  createSigner,
  type SignerSettings,
  type Store,
  type SweepReport,
} from '@fps-checkout/signer'
import {
  type Harness,
  type SignerProcess,
  startSignerProcess,
  testClock,
} from '@fps-checkout/signer/testing'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { none } from '../figures.js'
import { type Adversary, adversary, withAdversary } from './adversary.js'
import { AttackerTraffic } from './attack-traffic.js'
import { type Answer, KillTimer, post, type RequestKind } from './crash-buyer.js'
import { report } from './figures.js'
import { type IpnRelay, startIpnRelay } from './ipn-relay.js'
import { checkoutKillPoint, KILL_POINTS, type KillPoint, returnKillPoint } from './kill-points.js'
import { checkLedger } from './ledger-check.js'
import {
  authorizedOrder,
  ledgerPays,
  openSignerStore,
  processSettings,
  retry,
  startRig,
} from './rig.js'
import { SCALE } from './scale.js'
import { integer, type Random, runSeed, stream } from './seed.js'
import { SignerLog } from './signer-log.js'
import { sweepUntilQuiet } from './sweeps.js'

/** A lapsed lease lets a restarted process resend a Pay the killed one had claimed. */
const LEASE_MS = 500

/** The attacker's messages about each purchase, sent while its buyer pays (and the kills land). */
const ATTACKS_PER_PURCHASE = 2

let h: Harness
let settings: SignerSettings
let store: Store
let child: SignerProcess
let mallory: Adversary
let attacks: AttackerTraffic
let relay: IpnRelay
const log = new SignerLog()
const timer = new KillTimer()
const starts: number[] = []

beforeAll(async () => {
  const { options, attacker } = withAdversary()
  h = await startRig({}, options)
  mallory = adversary(h, attacker)
  // The merchant's IPN URL: a relay to whichever signer process runs (its port moves at restart).
  relay = await startIpnRelay(() => child?.url)
  settings = processSettings(h, { ipnUrl: relay.url, database: 'crashes.db', leaseMs: LEASE_MS })
  store = openSignerStore(settings.databaseUrl)
})
afterAll(async () => {
  await child?.kill()
  await relay?.close()
  await store?.close()
  await h?.close()
})

/** Starts a signer process on the crash test's database, timing how long it takes. */
async function restart(): Promise<void> {
  const started = performance.now()
  child = await startSignerProcess(settings, log.sink)
  starts.push(performance.now() - started)
}

/** What the run's seed decides about one purchase with a kill in it, drawn before the run starts. */
interface Plan {
  /** The request the kill -9 lands in. */
  kill: RequestKind
  /** When, as a fraction of that kind of request's window (see `KillTimer`). */
  at: number
  /** For a kill in the return: how long FPS holds the Pay (ms), so the kill meets it in flight. */
  payDelayMs: number
  /** For a kill in the return whose answer was lost: the buyer leaves it to the sweep. */
  walkAway: boolean
}

/** The choices of `count` purchases, the same for the same seed whatever the timing does. */
function planKills(random: Random, count: number): Plan[] {
  return Array.from({ length: count }, () => ({
    kill: random() < 0.5 ? 'checkout' : 'return',
    at: random(),
    payDelayMs: integer(random, 0, 20),
    walkAway: random() < 0.5,
  }))
}

/** A plan as the run prints it: `return 0.42 (Pay held 13 ms, walks away)`. */
function describePlan({ kill, at, payDelayMs, walkAway }: Plan): string {
  if (kill === 'checkout') return `checkout ${at.toFixed(2)}`
  return `return ${at.toFixed(2)} (Pay held ${payDelayMs} ms${walkAway ? ', walks away' : ''})`
}

/** One purchase's outcome: its order, where the kill landed, whether the buyer gave up. */
interface Purchase {
  callerReference: string
  point?: KillPoint
  walkedAway: boolean
}

/**
 * The `n`th buyer's purchase with one kill -9 in it, in the checkout or in the return, as `plan`
 * says (without a plan, none, to learn how long requests take). After a kill the buyer retries the
 * checkout with the same Idempotency-Key, and retries a lost return unless the plan says it walks
 * away: that one is left to the sweep.
 */
async function purchase(n: number, plan: Plan | undefined): Promise<Purchase> {
  const key = `crash-${n}`
  const checkout = () =>
    post(child.url, '/checkout', { amount: '2.50', reason: 'Crash' }, { 'idempotency-key': key })
  let point: KillPoint | undefined
  let started: Answer | undefined
  if (plan?.kill === 'checkout') {
    started = await timer.underKill(child, 'checkout', plan.at, checkout)
    point = await checkoutKillPoint(store, key, started !== undefined)
    await restart()
  }
  started ??= await retry(3, () => timer.timed('checkout', checkout))
  const callerReference = started.json.callerReference!
  attacks.sighted(callerReference)
  const query = await h.authorize(started.json.url!)
  const sendReturn = () => post(child.url, '/return', { query })
  if (plan?.kill !== 'return') {
    expect((await timer.timed('return', sendReturn))?.json.order?.status).toBe('success')
    return { callerReference, ...(point ? { point } : {}), walkedAway: false }
  }
  const delay = plan.payDelayMs
  h.sandbox.injectFaults({ delay: { ms: delay, count: 1 }, action: 'Pay' })
  const back = await timer.underKill(child, 'return', plan.at, sendReturn)
  // a Pay the killed signer had sent may still be inside FPS, held by the delay: let it finish
  await sleep(delay + 20)
  h.sandbox.clearFaults()
  const charged = ledgerPays(h).some((pay) => pay.callerReference === callerReference)
  point = await returnKillPoint(store, callerReference, back !== undefined, charged)
  await restart()
  if (!back && plan.walkAway) return { callerReference, point, walkedAway: true }
  expect((await retry(3, sendReturn)).json.order?.status).toBe('success')
  return { callerReference, point, walkedAway: false }
}

/**
 * Sweeps with a signer of its own on the same database until a round finds nothing (three at
 * most). Its clock runs a lease ahead: the leases the killed processes held have lapsed for it.
 */
async function sweepAfterTheCrashes(): Promise<SweepReport> {
  const clock = testClock()
  clock.advance(LEASE_MS + 50)
  const sweeper = createSigner({ ...settings, log: log.sink, now: clock.now })
  try {
    return await sweepUntilQuiet(sweeper, 3, (r) => r.resent + r.recovered + r.settled)
  } finally {
    await sweeper.close()
  }
}

it(
  `loses no order and charges none twice when the signer is killed ${SCALE.crashes} times mid-purchase`,
  async () => {
    const seed = runSeed('crash')
    const plans = planKills(stream(seed, 'kills'), SCALE.crashes)
    console.log(`crash: kills ${plans.map((plan) => describePlan(plan)).join(', ')}`)
    // the signer processes verify IPNs against the relay's URL, where FPS delivers the attacker's
    attacks = new AttackerTraffic(h, mallory, {
      target: { signerUrl: () => child.url, ipnUrl: () => relay.url },
      seed,
      share: 1,
      perOrder: ATTACKS_PER_PURCHASE,
      log,
    })
    await restart()
    const purchases = [await purchase(0, undefined)]
    for (const [i, plan] of plans.entries()) purchases.push(await purchase(i + 1, plan))
    await attacks.done()
    await child.kill()
    await h.sandbox.whenIdle()
    const swept = await sweepAfterTheCrashes()
    const ledger = await checkLedger(h, store, 'crash', log)
    const accepted = await attacks.accepted(store, ledger.mismatches)

    const orders = await store.listOrders({ limit: purchases.length + 100 })
    const pays = ledgerPays(h)
    const paysOf = (ref: string) => pays.filter((pay) => pay.callerReference === ref)
    const refs = purchases.map((p) => p.callerReference)
    const unreconciled = orders.filter((order) => order.status !== 'success')
    const count = (point: string) => purchases.filter((p) => p.point === point).length
    report('crash', 'Signer killed mid-purchase', [
      {
        name: 'crash_kills',
        value: SCALE.crashes,
        unit: 'kill -9',
        note: `seed ${seed} (CHAOS_SEED=${seed} repeats where the kills go and the attacker's choices)`,
      },
      ...Object.entries(KILL_POINTS).map(([point, note]) => ({
        name: `crash_at_${point}`,
        value: count(point),
        unit: 'kills',
        note,
      })),
      {
        name: 'crash_buyers_walked_away',
        value: purchases.filter((p) => p.walkedAway).length,
        unit: 'buyers',
        note: 'return never retried: left to the sweep',
      },
      { name: 'crash_sweep_resent', value: swept.resent, unit: 'Pay' },
      { name: 'crash_sweep_recovered', value: swept.recovered, unit: 'orders' },
      none(
        'crash_orders_lost',
        refs.filter((ref) => !orders.some((o) => o.callerReference === ref)).length,
        'orders'
      ),
      none('crash_orders_unreconciled', unreconciled.length, 'orders'),
      none('crash_double_charges', refs.filter((ref) => paysOf(ref).length > 1).length, 'orders'),
      ledger.figure,
      ...attacks.figures('crash', accepted),
      {
        name: 'crash_restart_ms',
        value: Math.max(...starts),
        unit: 'ms',
        note: 'slowest signer process start (tsx)',
      },
    ])

    expect(ledger.mismatches.length, ledger.explained).toBe(0)
    expect(accepted).toEqual([])
    expect(attacks.failures).toEqual([])
    expect(swept.failed).toBe(0)
    expect(orders.map((order) => order.callerReference).sort()).toEqual([...refs].sort())
    expect(unreconciled.map((order) => `${order.callerReference} ${order.status}`)).toEqual([])
    for (const order of orders) {
      expect(paysOf(order.callerReference)).toHaveLength(1)
      expect(order.transactionId).toBe(paysOf(order.callerReference)[0]?.id)
    }
    expect(pays).toHaveLength(purchases.length)
  },
  SCALE.timeoutMs
)

/**
 * The one kill point random kills rarely hit: after the return moved the order to pending with
 * its token, before the Pay was stored. The state is made with the signer's own store call (the
 * return's first write), on its real database, then only the sweep is left to finish the order.
 */
it('charges, at the next sweep, an order a kill left authorized with no Pay stored', async () => {
  const clock = testClock()
  await h.restartSigner({ recoverAfterMs: 1, now: clock.now })
  const { callerReference, query } = await authorizedOrder(h, 'Killed after authorizing')
  const tokenId = parseReturn(Object.fromEntries(new URLSearchParams(query))).tokenID
  const own = openSignerStore(h.signerOptions.databaseUrl)
  const authorized = await own.transition(callerReference, {
    from: ['created'],
    to: 'pending',
    note: 'Return SC: the buyer authorized (then the process was killed).',
    at: new Date().toISOString(),
    ...(tokenId === undefined ? {} : { set: { tokenId } }),
  })
  expect(authorized?.status).toBe('pending')
  clock.advance(20)
  await h.signer.sweep()
  const order = await own.getOrder(callerReference).finally(() => own.close())
  expect(h.transactions(callerReference).filter((txn) => txn.operation === 'Pay')).toHaveLength(1)
  expect(order?.status).toBe('success')
})
