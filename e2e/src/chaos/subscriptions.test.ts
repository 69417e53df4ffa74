import { renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import {
  createSigner,
  type SignerSettings,
  type Store,
  type SweepReport,
} from '@fps-checkout/signer'
import { type Harness, type SignerProcess, startSignerProcess } from '@fps-checkout/signer/testing'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { none } from '../figures.js'
import { post } from './crash-buyer.js'
import { report } from './figures.js'
import { type IpnRelay, startIpnRelay } from './ipn-relay.js'
import { checkLedger } from './ledger-check.js'
import { openSignerStore, processSettings, retry, startRig } from './rig.js'
import { SCALE } from './scale.js'
import { integer, type Random, runSeed, stream } from './seed.js'
import { SignerLog } from './signer-log.js'
import { sweepUntilQuiet } from './sweeps.js'

/** A plan's period: 30 days, as FPS's sandbox counts a Recurring token's periods. */
const MONTH_MS = 30 * 86_400_000
const PLAN = 'streaming-monthly'
const PRICE = '4.99'
/** A lapsed lease lets a restarted process resend a Pay the killed one had claimed. */
const LEASE_MS = 500
/** How often each signer process sweeps on its own, as `serveSigner` does every minute. */
const SWEEP_INTERVAL_MS = 100
/** How long one period's charges may take on the wall clock, its kills and restarts included. */
const PERIOD_DEADLINE_MS = 90_000
/** A charge's time (ms) until the log shows two in a row. */
const FIRST_CHARGE_MS = 50

/** Where a kill -9 landed in a period's charges, judged afterwards from the database and FPS. */
const KILL_POINTS = {
  between_charges: 'no charge begun and unfinished: between two, or before the first',
  period_ordered: "the period's order stored, its Pay not stored yet",
  pay_stored: 'Pay stored, FPS had not committed it',
  pay_committed: 'Pay committed by FPS, its answer not stored',
  pay_answered: 'Pay answered and stored, the subscription not moved on to the next period',
} as const

type KillPoint = keyof typeof KILL_POINTS

let h: Harness
let settings: SignerSettings
let store: Store
let relay: IpnRelay
let child: SignerProcess | undefined
let clockFile: string
const log = new SignerLog()
const starts: number[] = []
/** The subscriptions' sign-up orders, oldest first. */
const subscriptions: string[] = []

beforeAll(async () => {
  h = await startRig()
  // the merchant's IPN URL: a relay to whichever signer process runs (its port moves at restart)
  relay = await startIpnRelay(() => child?.url)
  clockFile = join(h.dir, 'clock-offset')
  settings = {
    ...processSettings(h, { ipnUrl: relay.url, database: 'subscriptions.db', leaseMs: LEASE_MS }),
    catalog: { items: { [PLAN]: { price: PRICE, every: '1 Month' } } },
  }
  store = openSignerStore(settings.databaseUrl)
})
afterAll(async () => {
  await child?.kill()
  await relay?.close()
  await store?.close()
  await h?.close()
})

/** The business time the sandbox and every signer share: real time plus the test's moves. */
const businessNow = () => h.sandbox.clock.now()

/** Moves the sandbox's clock, and the signer process's with it (the file it reads its offset from). */
function advanceClock(ms: number): void {
  h.sandbox.clock.advance(ms)
  writeFileSync(`${clockFile}.next`, String(h.sandbox.clock.offsetMs))
  renameSync(`${clockFile}.next`, clockFile)
}

/** Starts a signer process on the run's database and clock, sweeping on its own, timing its start. */
async function restart(): Promise<void> {
  const started = performance.now()
  child = await startSignerProcess(settings, log.sink, {
    sweepIntervalMs: SWEEP_INTERVAL_MS,
    clockOffsetFile: clockFile,
  })
  starts.push(performance.now() - started)
}

/** What the run's seed decides about one kill, drawn before the run starts. */
interface KillPlan {
  /** The period whose charges it lands in (2 and later: the sweep's). */
  period: number
  /** How many charges FPS takes from the process running first (1 or more). */
  charges: number
  /** Then the kill comes this fraction of a charge's time later (and of the hold)… */
  at: number
  /** …while FPS holds the next Pay this long (ms), so some kills meet a Pay in flight; 0: none held. */
  holdMs: number
}

/**
 * `count` kills spread over the periods the sweep charges, as evenly as they go. A period's kills
 * together wait for at most as many charges as it has, so each lands while charges remain.
 */
function planKills(random: Random, count: number): KillPlan[] {
  const swept = SCALE.subscriptionPeriods - 1
  const periods = Array.from({ length: count }, (_, i) => 2 + Math.floor((i * swept) / count))
  return periods.map((period) => {
    const inPeriod = periods.filter((p) => p === period).length
    const most = Math.max(1, Math.floor(SCALE.subscribers / inPeriod))
    return {
      period,
      charges: integer(random, 1, most + 1),
      at: random(),
      holdMs: random() < 0.5 ? 0 : integer(random, 5, 40),
    }
  })
}

/** A plan as the run prints it: `p3 after 2 at 0.41 (Pay held 17 ms)`. */
function describePlan({ period, charges, at, holdMs }: KillPlan): string {
  return `p${period} after ${charges} at ${at.toFixed(2)}${holdMs ? ` (Pay held ${holdMs} ms)` : ''}`
}

/** The subscription and the period a CallerReference charges, if it is one of the run's. */
function periodOf(callerReference: string): { subscription: string; period: number } | undefined {
  for (const subscription of subscriptions) {
    if (callerReference === subscription) return { subscription, period: 1 }
    if (!callerReference.startsWith(`${subscription}-`)) continue
    const match = /^(\d+)-(\d+)$/.exec(callerReference.slice(subscription.length + 1))
    if (match) return { subscription, period: Number(match[1]) }
  }
  return undefined
}

/** The merchant's Pays in the sandbox's ledger: what the buyers were actually charged. */
function merchantPays() {
  const merchant = h.sandbox.state.credentials.get(h.key.accessKeyId)?.accountId
  return [...h.sandbox.state.transactions.values()].filter(
    (txn) => txn.operation === 'Pay' && txn.callerAccountId === merchant
  )
}

/** How many of a period's charges FPS holds (each try of a subscription's period is one order). */
function chargesOfPeriod(period: number): number {
  return merchantPays().filter((txn) => periodOf(txn.callerReference)?.period === period).length
}

/**
 * The median time between two Pays of one period that one process sent in a row, from the times
 * of its log lines; a first guess before there are two.
 */
function chargeMs(): number {
  const gaps: number[] = []
  let previous: { at: number; period: string } | undefined
  for (const line of log.lines) {
    if (line.includes('"msg":"listening"')) previous = undefined
    if (!line.includes('"msg":"sending"') || !line.includes('"action":"Pay"')) continue
    let sent: { time?: string; operation?: string }
    try {
      sent = JSON.parse(line) as typeof sent
    } catch {
      continue // a line a killed process left half written
    }
    const period = /-(\d+)-\d+$/.exec(sent.operation ?? '')?.[1]
    const at = Date.parse(sent.time ?? '')
    if (previous && period && previous.period === period) gaps.push(at - previous.at)
    previous = period ? { at, period } : undefined
  }
  const sorted = gaps.sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? FIRST_CHARGE_MS
}

/** Waits until FPS holds `target` charges of the period. */
async function waitForCharges(period: number, target: number): Promise<void> {
  const deadline = performance.now() + PERIOD_DEADLINE_MS
  while (chargesOfPeriod(period) < target) {
    if (performance.now() > deadline)
      throw new Error(
        `Period ${period}: ${chargesOfPeriod(period)} of ${target} charges after ${PERIOD_DEADLINE_MS} ms.`
      )
    await sleep(1)
  }
}

/**
 * Judges where a kill landed from what the store and FPS hold of the period's charges: the
 * subscription still at this period whose order was made last is the one the process was on.
 */
async function killPoint(period: number): Promise<KillPoint> {
  let latest: { createdAt: string; point: KillPoint } | undefined
  for (const reference of subscriptions) {
    const subscription = await store.getSubscription(reference)
    if (subscription?.period !== period) continue
    const orderRef = `${reference}-${period}-${subscription.attempt}`
    const order = await store.getOrder(orderRef)
    if (!order) continue
    const pay = (await store.listOperations(orderRef)).find((op) => op.kind === 'pay')
    const committed = merchantPays().some((txn) => txn.callerReference === orderRef)
    const point: KillPoint = !pay
      ? 'period_ordered'
      : pay.state === 'prepared'
        ? committed
          ? 'pay_committed'
          : 'pay_stored'
        : 'pay_answered'
    if (!latest || order.createdAt > latest.createdAt)
      latest = { createdAt: order.createdAt, point }
  }
  return latest?.point ?? 'between_charges'
}

/**
 * kill -9 of the running process as the plan says, within its period's charges; answers where it
 * landed. The next process starts at once and sweeps on.
 */
async function killDuringCharges(plan: KillPlan): Promise<KillPoint> {
  const target = Math.min(chargesOfPeriod(plan.period) + plan.charges, SCALE.subscribers)
  await waitForCharges(plan.period, target)
  if (plan.holdMs > 0)
    h.sandbox.injectFaults({ delay: { ms: plan.holdMs, count: 1 }, action: 'Pay' })
  await sleep(Math.floor(plan.at * (chargeMs() + plan.holdMs)))
  await child?.kill()
  child = undefined
  // a Pay the killed process had sent may still be held inside FPS: let it finish
  await sleep(plan.holdMs + 20)
  h.sandbox.clearFaults()
  const point = await killPoint(plan.period)
  await restart()
  return point
}

/** Waits until every subscription has moved past `period`: each of its charges made and recorded. */
async function periodDone(period: number): Promise<void> {
  const deadline = performance.now() + PERIOD_DEADLINE_MS
  for (;;) {
    const all = await Promise.all(subscriptions.map((ref) => store.getSubscription(ref)))
    if (all.every((subscription) => subscription && subscription.period > period)) return
    if (performance.now() > deadline) {
      const left = all.filter((s) => !s || s.period <= period)
      throw new Error(
        `Period ${period} is not charged after ${PERIOD_DEADLINE_MS} ms: ${left.map((s) => `${s?.callerReference} ${s?.status} p${s?.period} try ${s?.attempt}`).join(', ')}`
      )
    }
    await sleep(50)
  }
}

/** Signs buyer `n` up through the Recurring pipeline at the running process; answers the order. */
async function subscribe(n: number): Promise<string> {
  const url = () => child?.url ?? ''
  const body = { amount: PRICE, reason: 'Unlimited streaming', item: PLAN }
  const started = await retry(3, () =>
    post(url(), '/checkout', body, { 'idempotency-key': `subscribe-${n}` })
  )
  const query = await h.authorize(started.json.url!)
  const back = await retry(3, () => post(url(), '/return', { query }))
  expect(back.json.order?.status).toBe('success')
  return started.json.callerReference!
}

/**
 * Sweeps with a signer of its own on the same database until a round finds nothing (five at
 * most). Its clock runs a lease ahead of the business time: the killed processes' leases have
 * lapsed for it.
 */
async function sweepAfterTheCrashes(): Promise<SweepReport> {
  const sweeper = createSigner({
    ...settings,
    log: log.sink,
    now: () => new Date(businessNow().getTime() + LEASE_MS + 50),
  })
  try {
    return await sweepUntilQuiet(sweeper, 5, (r) => r.resent + r.recovered + r.settled + r.charged)
  } finally {
    await sweeper.close()
  }
}

it(
  `charges each period of ${SCALE.subscribers} subscriptions once when the signer is killed ${SCALE.subscriptionKills} times during the charges`,
  async () => {
    const seed = runSeed('subscription')
    const plans = planKills(stream(seed, 'kills'), SCALE.subscriptionKills)
    console.log(`subscription: kills ${plans.map(describePlan).join(', ')}`)
    const periods = SCALE.subscriptionPeriods
    const began = businessNow()
    await restart()
    for (let n = 0; n < SCALE.subscribers; n++) subscriptions.push(await subscribe(n))

    const started = performance.now()
    const landings: KillPoint[] = []
    for (let period = 2; period <= periods; period++) {
      advanceClock(MONTH_MS)
      for (const plan of plans.filter((p) => p.period === period))
        landings.push(await killDuringCharges(plan))
      await periodDone(period)
    }
    const chaosMs = performance.now() - started
    await child?.kill()
    child = undefined

    // FPS idle, a signer of the merchant's own sweeps until nothing is left to do
    await h.sandbox.whenIdle()
    const swept = await sweepAfterTheCrashes()
    const ledger = await checkLedger(h, store, 'subscription', log)
    const auditor = createSigner({ ...settings, log: log.sink, now: businessNow })
    const audit = await auditor
      .reconcileLedger({
        from: new Date(began.getTime() - 60_000).toISOString(),
        to: new Date(businessNow().getTime() + 60_000).toISOString(),
      })
      .finally(() => auditor.close())

    // the ledger, period by period: each subscription's successful Pays
    const paid = new Map<string, number>()
    let unattributed = 0
    let declined = 0
    for (const txn of merchantPays()) {
      const of = periodOf(txn.callerReference)
      if (!of) unattributed += 1
      if (txn.status !== 'Success') {
        declined += 1
        continue
      }
      if (!of) continue
      const key = `${of.subscription} period ${of.period}`
      paid.set(key, (paid.get(key) ?? 0) + 1)
    }
    const expected = subscriptions.flatMap((ref) =>
      Array.from({ length: periods }, (_, i) => `${ref} period ${i + 1}`)
    )
    const chargedTwice = [...paid].filter(([, count]) => count > 1).map(([key]) => key)
    const missed = expected.filter((key) => !paid.has(key))
    const notDue = [...paid.keys()].filter((key) => !expected.includes(key))
    const stored = await Promise.all(subscriptions.map((ref) => store.getSubscription(ref)))
    const statesOff = stored.filter(
      (s) => s?.status !== 'active' || s.chargedPeriods !== periods || s.period !== periods + 1
    )
    // one subscription.charged per period, each period's in order
    const everyPeriod = Array.from({ length: periods }, (_, i) => i + 1)
    const eventsOff: string[] = []
    for (const ref of subscriptions) {
      const events = await store.listEvents({ callerReference: ref, limit: 1_000 })
      const charged = events
        .filter((event) => event.type === 'subscription.charged')
        .map((event) => event.subscription?.charge?.period)
        .reverse()
      if (JSON.stringify(charged) !== JSON.stringify(everyPeriod))
        eventsOff.push(`${ref}: ${charged.join(',')}`)
    }
    const landed = (point: KillPoint) => landings.filter((l) => l === point).length
    report('subscription', 'Signer killed while it charges subscriptions', [
      {
        name: 'subscription_kills',
        value: SCALE.subscriptionKills,
        unit: 'kill -9',
        note: `seed ${seed} (CHAOS_SEED=${seed} repeats where the kills go)`,
      },
      ...Object.entries(KILL_POINTS).map(([point, note]) => ({
        name: `subscription_kill_${point}`,
        value: landed(point as KillPoint),
        unit: 'kills',
        note,
      })),
      {
        name: 'subscription_periods',
        value: expected.length,
        unit: 'periods',
        note: `${SCALE.subscribers} subscriptions × ${periods} months (the sign-up's, then ${periods - 1} by the sweep)`,
      },
      none(
        'subscription_periods_charged_twice',
        chargedTwice.length,
        'periods',
        'more than one successful Pay for a subscription’s period in the ledger'
      ),
      none(
        'subscription_periods_missed',
        missed.length,
        'periods',
        'a period up to now with no successful Pay in the ledger'
      ),
      none(
        'subscription_charges_not_due',
        notDue.length + unattributed,
        'Pays',
        'a Pay for a period not yet due, or of no subscription'
      ),
      none(
        'subscription_records_differ',
        statesOff.length + eventsOff.length,
        'subscriptions',
        'status, period or chargedPeriods against the ledger; subscription.charged events not one a period'
      ),
      { name: 'subscription_pays_declined', value: declined, unit: 'Pays' },
      { name: 'subscription_sweep_resent', value: swept.resent, unit: 'Pay' },
      ledger.figure,
      none(
        'subscription_ledger_disagreements',
        audit.disagreements.length,
        'disagreements',
        `reconcileLedger() over the run's ${periods} months: ${audit.orders} orders, ${audit.transactions} FPS transactions`
      ),
      {
        name: 'subscription_charge_ms',
        value: Math.round(chargeMs()),
        unit: 'ms',
        note: 'median time between two Pays one process sent in a row (its log): a kill lands up to this long after a charge, plus the hold',
      },
      {
        name: 'subscription_run_ms',
        value: Math.round(chaosMs),
        unit: 'ms',
        note: 'the sweeps’ charges with the kills and restarts, after the sign-ups',
      },
      {
        name: 'subscription_restart_ms',
        value: Math.round(Math.max(...starts)),
        unit: 'ms',
        note: 'slowest signer process start (tsx)',
      },
    ])

    expect(chargedTwice).toEqual([])
    expect(missed).toEqual([])
    expect(notDue).toEqual([])
    expect(unattributed).toBe(0)
    expect(statesOff).toEqual([])
    expect(eventsOff).toEqual([])
    expect(ledger.mismatches.length, ledger.explained).toBe(0)
    expect(audit.disagreements).toEqual([])
    expect(audit.orders).toBe(expected.length)
    expect(swept.failed).toBe(0)
  },
  SCALE.timeoutMs
)
