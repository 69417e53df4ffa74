import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import {
  createSigner,
  type Disagreement,
  type Order,
  type SignerSettings,
  type Store,
  type SweepReport,
} from '@fps-checkout/signer'
import { type Harness, testClock } from '@fps-checkout/signer/testing'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { none } from '../figures.js'
import { type Customer, DeliveryBuyers, drawVisit, type Flow } from './delivery-buyer.js'
import { report } from './figures.js'
import { type IpnRelay, startIpnRelay } from './ipn-relay.js'
import { checkLedger } from './ledger-check.js'
import { openSignerStore, processSettings, startRig } from './rig.js'
import { SCALE } from './scale.js'
import { integer, type Random, runSeed, stream } from './seed.js'
import { SignerLives } from './signer-lives.js'
import { SignerLog } from './signer-log.js'
import { sweepUntilQuiet } from './sweeps.js'
import { type Reply, WebhookReceiver } from './webhook-receiver.js'

/** What a sweep still found to do: once a round finds none, the crashes' leftovers are settled. */
const leftToDo = (r: SweepReport) => r.resent + r.recovered + r.settled + r.expired

/** A lapsed lease lets the next process try an event the killed one was trying. */
const LEASE_MS = 500
/** The signer's webhook timeout: a late or silent answer costs a try this long. */
const WEBHOOK_TIMEOUT_MS = 500
/** The receiver's faults, as issue 17 sets them. */
const ERROR_SHARE = 0.3
const TIMEOUT_SHARE = 0.1
/** Customers shopping at once while the kills land. */
const LANES = 2
/** A checkout nobody returns from expires this long after it began (at the final sweep). */
const CHECKOUT_TTL_MS = 10 * 60_000
/** How often the drain looks at the outbox; how long it may take on the wall clock. */
const POLL_MS = 50
const DRAIN_MS = SCALE.timeoutMs / 2
/** A move of the drain's clock makes due the next retry and those within this much after it. */
const MOVE_WINDOW_MS = 1_000

let h: Harness
let settings: SignerSettings
let store: Store
let receiver: WebhookReceiver
let relay: IpnRelay
let lives: SignerLives
let seed: number
/** The clock of the receiver, and of the signer that finishes delivering after the kills. */
const clock = testClock()
const log = new SignerLog()

beforeAll(async () => {
  h = await startRig()
  seed = runSeed('delivery')
  const secret = `whsec_${randomBytes(32).toString('base64')}`
  receiver = await WebhookReceiver.start({
    secret,
    random: stream(seed, 'replies'),
    timeoutMs: WEBHOOK_TIMEOUT_MS,
    now: clock.now,
    errorShare: ERROR_SHARE,
    timeoutShare: TIMEOUT_SHARE,
  })
  // the merchant's IPN URL: a relay to whichever signer process runs (its port moves at restart)
  relay = await startIpnRelay(() => lives?.url)
  settings = {
    ...processSettings(h, { ipnUrl: relay.url, database: 'delivery.db', leaseMs: LEASE_MS }),
    checkoutTtlMs: CHECKOUT_TTL_MS,
    webhookUrl: receiver.url,
    webhookSecret: secret,
    webhookTimeoutMs: WEBHOOK_TIMEOUT_MS,
  }
  lives = new SignerLives(settings, log.sink)
  store = openSignerStore(settings.databaseUrl)
})
afterAll(async () => {
  await lives?.kill()
  await receiver?.close()
  await relay?.close()
  await store?.close()
  await h?.close()
})

/** Where one kill lands, drawn before the run starts. */
interface KillPlan {
  /** How long the process runs first (ms): long enough for customers to get through. */
  lifeMs: number
  /** Then the kill comes at its next try: while the receiver holds the answer, or `delayMs` after. */
  held: boolean
  delayMs: number
}

function planKills(random: Random, count: number): KillPlan[] {
  return Array.from({ length: count }, () => ({
    lifeMs: integer(random, 500, 3_000),
    held: random() < 0.5,
    delayMs: integer(random, 0, 50),
  }))
}

/** A plan as the run prints it: `1.73 s held`, `0.62 s +12 ms`. */
function describeKill({ lifeMs, held, delayMs }: KillPlan): string {
  return `${(lifeMs / 1000).toFixed(2)} s ${held ? 'held' : `+${delayMs} ms`}`
}

/** Where a kill landed: in the answer to a try the receiver took, to one it did not, or after. */
type Landing = 'held_taken' | 'held_refused' | 'after_try'

/**
 * kill -9 of the running process at its first try once its life is over; answers where it
 * landed. Customers keep shopping meanwhile, so tries keep coming.
 */
async function killDuringDelivery(plan: KillPlan): Promise<Landing> {
  await sleep(plan.lifeMs)
  return new Promise((resolve, reject) => {
    let seen = false
    const stop = receiver.onTry(async (_id, reply: Reply) => {
      if (seen) return
      seen = true
      stop()
      if (!plan.held) {
        void sleep(plan.delayMs)
          .then(() => lives.kill())
          .then(() => resolve('after_try'), reject)
        return
      }
      // the receiver answers this try only once the process is gone: its answer is lost
      await lives.kill().catch(reject)
      resolve(reply === 'ok' || reply === 'late' ? 'held_taken' : 'held_refused')
    })
  })
}

/** Every event in the outbox. */
async function allEvents() {
  const events = []
  for (let before: string | undefined; ; ) {
    const page = await store.listEvents({ limit: 1_000, ...(before ? { before } : {}) })
    events.push(...page)
    if (page.length < 1_000) return events
    before = page.at(-1)?.id
  }
}

/** An event as the store keeps it, with its delivery. */
type StoredEvent = NonNullable<Awaited<ReturnType<Store['getEvent']>>>

/**
 * Waits until the outbox holds nothing pending, with a signer on `clock` delivering it (no event
 * is written meanwhile, so only those pending at the start are watched). Whenever none is due nor
 * in flight, the clock (the receiver's too) moves to the next retry, so the backoff (10 s, 20 s,
 * 40 s, …) passes without being waited out.
 */
async function drain(): Promise<number> {
  const deadline = performance.now() + DRAIN_MS
  let pending = (await allEvents()).filter((event) => event.state === 'pending')
  let moves = 0
  for (;;) {
    const now = clock.now().getTime()
    const due = await store.dueEvents(clock.now().toISOString(), 1)
    const held = pending.some(({ leaseUntil }) => leaseUntil && Date.parse(leaseUntil) > now)
    const later = pending.map((e) => Date.parse(e.nextAttemptAt)).filter((at) => at > now)
    if (due.length === 0 && !held && later.length > 0) {
      clock.advance(Math.min(...later) - now + MOVE_WINDOW_MS)
      moves += 1
    }
    if (performance.now() > deadline)
      throw new Error(`${pending.length} events still pending after ${DRAIN_MS} ms of draining.`)
    await sleep(POLL_MS)
    const watched = await Promise.all(pending.map((event) => store.getEvent(event.id)))
    pending = watched.filter((event): event is StoredEvent => event?.state === 'pending')
    if (pending.length === 0) return moves
  }
}

/** The value at quantile `q` of `values` (nearest rank); 0 for none. */
function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? 0
}

/**
 * The first disagreements, each with its order's history and operations, FPS's transactions
 * under its callerReference and the signer's log lines that name it.
 */
async function explainDisagreements(disagreements: readonly Disagreement[]): Promise<string> {
  const lines: string[] = []
  for (const { callerReference, message } of disagreements.slice(0, 5)) {
    lines.push(message)
    if (!callerReference) continue
    for (const entry of await store.history(callerReference))
      lines.push(`  history: ${entry.at} ${entry.status} ${entry.note}`)
    for (const op of await store.listOperations(callerReference))
      lines.push(
        `  operation: ${op.key} ${op.kind} ${op.state} ${op.amountCents}¢ ${op.transactionId} ${op.transactionStatus} ${op.errorCode ?? ''} attempts ${op.attempts}, ${op.createdAt} → ${op.updatedAt}`
      )
    for (const txn of h.sandbox.state.transactions.values()) {
      if (!txn.callerReference.startsWith(callerReference)) continue
      lines.push(
        `  FPS: ${txn.operation} ${txn.id} ${txn.status} ${txn.amount}¢ ${txn.callerReference} parent ${txn.parentId} received ${txn.dateReceived}`
      )
    }
    for (const line of log.naming(callerReference)) lines.push(`  log: ${line}`)
  }
  return `${disagreements.length} disagreements with FPS's account activity:\n${lines.join('\n')}`
}

/**
 * Two windows of the signer's refunds that a kill -9 can land in (found by this run; the signer's
 * to close, see issue 17): `refundOrder` reserves the amount on the order (`adjustRefunded`) and
 * then stores the refund operation, in two writes, so a kill between them leaves the order's
 * refunded total raised with no refund ever sent (`reserved`); an approval marks the request
 * approved before either, so a kill after it leaves an approved request that nothing refunds
 * (`approved`). Answers the orders caught in each.
 */
async function refundsLeftHalfDone(orders: readonly Order[]) {
  const reserved: string[] = []
  const approved: string[] = []
  for (const order of orders) {
    const refunds = (await store.listOperations(order.callerReference)).filter(
      (op) => op.kind === 'refund'
    )
    const stored = refunds.reduce((sum, op) => sum + (op.amountCents ?? 0), 0)
    if (order.refundedCents > stored) reserved.push(order.callerReference)
    const request = await store.getRefundRequestOfOrder(order.callerReference)
    if (request?.status === 'approved' && order.refundedCents < order.amountCents)
      approved.push(order.callerReference)
  }
  return { reserved, approved }
}

/** Statuses whose change writes an event (`created` and `pending` write none). */
const QUIET = new Set(['created', 'pending'])

it(
  `delivers every event, once in effect and in order, while the signer is killed ${SCALE.deliveryKills} times in deliveries`,
  async () => {
    const kills = planKills(stream(seed, 'kills'), SCALE.deliveryKills)
    console.log(`delivery: kills ${kills.map(describeKill).join(', ')}`)
    const buyers = new DeliveryBuyers(h, lives)
    const customers: Customer[] = []
    let buying = true
    let next = 0
    const lane = async () => {
      while (buying) {
        const n = next++
        const { flow, afterMs } = drawVisit(stream(seed, `customer ${n}`))
        await sleep(afterMs)
        customers.push(await buyers.shop(n, flow))
      }
    }
    const started = performance.now()
    await lives.start()
    const shopping = Promise.all(Array.from({ length: LANES }, lane))
    // a customer's failure ends the run at once, not after the next kill's wait
    const failed = shopping.then(() => new Promise<never>(() => undefined))
    const landings: Landing[] = []
    for (const plan of kills) {
      landings.push(await Promise.race([killDuringDelivery(plan), failed]))
      await lives.start()
    }
    buying = false
    await shopping
    await lives.kill()
    const chaosMs = performance.now() - started

    // the end of the day: FPS idle, a signer of the merchant's own sweeps and delivers the rest
    await h.sandbox.whenIdle()
    clock.advance(LEASE_MS + 50)
    const finisher = createSigner({ ...settings, log: log.sink, now: clock.now })
    let swept: SweepReport
    let moves: number
    try {
      // until a round finds nothing (three at most): stalled Pays and refunds, lost returns
      swept = await sweepUntilQuiet(finisher, 3, leftToDo)
      moves = await drain()
      // a checkout nobody came back to expires
      clock.advance(CHECKOUT_TTL_MS)
      const expiring = await sweepUntilQuiet(finisher, 3, leftToDo)
      swept.expired += expiring.expired
      swept.failed += expiring.failed
      moves += await drain()
    } finally {
      await finisher.close()
    }
    const ledger = await checkLedger(h, store, 'delivery', log)
    const auditor = createSigner({ ...settings, log: log.sink })
    const audit = await auditor.reconcileLedger().finally(() => auditor.close())

    const events = await allEvents()
    const orders = await store.listOrders({ limit: 1_000_000 })
    const halfDone = await refundsLeftHalfDone(orders)
    const eventsOf = new Map<string, typeof events>()
    for (const event of [...events].sort((a, b) => a.seq - b.seq)) {
      const ref = event.order.callerReference
      eventsOf.set(ref, [...(eventsOf.get(ref) ?? []), event])
    }
    // every change an order's history records has its event in the outbox, and each is received
    let changesWithoutEvent = 0
    let outOfOrder = 0
    const mismatched: string[] = []
    for (const order of orders) {
      const changes = (await store.history(order.callerReference)).filter(
        (entry) => !QUIET.has(entry.status)
      )
      const own = eventsOf.get(order.callerReference) ?? []
      changesWithoutEvent += Math.max(0, changes.length - own.length)
      let latest = -1
      for (const [i, event] of own.entries()) {
        if (changes[i]?.status !== event.order.status)
          mismatched.push(`${event.id}: ${event.order.status}, history ${changes[i]?.status}`)
        const arrival = receiver.received.get(event.id)?.arrival ?? Number.POSITIVE_INFINITY
        if (arrival < latest) outOfOrder += 1
        latest = Math.max(latest, arrival)
      }
    }
    const missing = events.filter((event) => !receiver.received.has(event.id))
    const outboxIds = new Set(events.map((event) => event.id))
    const unknown = [...receiver.received.keys()].filter((id) => !outboxIds.has(id))
    for (const event of events) {
      const got = receiver.received.get(event.id)?.event
      if (got && (got.type !== event.type || got.data.order.status !== event.order.status))
        mismatched.push(`${event.id}: sent ${event.type}, received ${got.type}`)
    }
    const delays = [...receiver.received.values()].map(
      ({ event, at }) => at - Date.parse(event.timestamp)
    )
    const twice = [...receiver.fulfilments].filter(([, times]) => times > 1)
    const paidOrders = new Set(
      events.filter((e) => e.type === 'order.paid').map((e) => e.order.callerReference)
    )
    const flows = (flow: Flow) => customers.filter((c) => c.flow === flow).length
    const byType = new Map<string, number>()
    for (const { type } of events) byType.set(type, (byType.get(type) ?? 0) + 1)
    const types = [...byType].map(([type, count]) => `${type.replace('order.', '')} ${count}`)
    const { counts } = receiver
    const landed = (landing: Landing) => landings.filter((l) => l === landing).length
    report('delivery', 'Webhooks delivered while the signer is killed', [
      {
        name: 'delivery_kills',
        value: SCALE.deliveryKills,
        unit: 'kill -9',
        note: `seed ${seed} (CHAOS_SEED=${seed} repeats where the kills go, the receiver's answers and the customers' choices)`,
      },
      {
        name: 'delivery_kills_answer_lost',
        value: landed('held_taken'),
        unit: 'kills',
        note: 'while the receiver held its answer to a try it had taken: the event must come again',
      },
      {
        name: 'delivery_kills_failing_try',
        value: landed('held_refused'),
        unit: 'kills',
        note: 'while the receiver held a 5xx or a timeout',
      },
      {
        name: 'delivery_kills_after_try',
        value: landed('after_try'),
        unit: 'kills',
        note: '0-50 ms after a try arrived',
      },
      {
        name: 'delivery_customers',
        value: customers.length,
        unit: 'orders',
        note: `paid ${flows('pay')}, paid and refunded twice ${flows('refund')}, cancelled ${flows('cancel')}, abandoned ${flows('abandon')}`,
      },
      { name: 'delivery_events', value: events.length, unit: 'events', note: types.join(', ') },
      {
        name: 'delivery_tries',
        value: counts.tries,
        unit: 'POST',
        note: `${counts.errors} answered 5xx, ${counts.late} answered late, ${counts.silent} never answered (the signer waits ${WEBHOOK_TIMEOUT_MS} ms)`,
      },
      {
        name: 'delivery_duplicates_dropped',
        value: counts.duplicates,
        unit: 'tries',
        note: 'of an event the receiver had taken: dropped by webhook-id',
      },
      none('delivery_signatures_refused', counts.refused + counts.mislabelled, 'tries'),
      none(
        'events_lost',
        missing.length + changesWithoutEvent,
        'events',
        'state changes in the orders’ histories without an event taken by the receiver'
      ),
      none('fulfilled_twice', twice.length, 'orders', 'order.paid taken twice for one order'),
      none('events_out_of_order', outOfOrder, 'events', 'taken before an earlier one of its order'),
      {
        name: 'delivery_delay_p50',
        value: Math.round(quantile(delays, 0.5)),
        unit: 'ms',
        note: 'state change to the receiver taking its event',
      },
      {
        name: 'delivery_delay_p99',
        value: Math.round(quantile(delays, 0.99)),
        unit: 'ms',
        note: 'a failed try waits 10 s, 20 s, 40 s…; after the kills, on a clock moved to each next retry (+1 s)',
      },
      ledger.figure,
      none(
        'ledger_disagreements',
        audit.disagreements.length,
        'disagreements',
        `reconcileLedger() (fps-signer reconcile --ledger): ${audit.orders} orders, ${audit.transactions} FPS transactions`
      ),
      none(
        'delivery_refunds_reserved_unsent',
        halfDone.reserved.length,
        'orders',
        'refunded on the order, never at FPS (a kill between the two writes, before e89226e)'
      ),
      none(
        'delivery_refunds_approved_unmade',
        halfDone.approved.length,
        'orders',
        'an approved refund request with no refund stored after the sweep'
      ),
      {
        name: 'delivery_run_ms',
        value: Math.round(chaosMs),
        unit: 'ms',
        note: `kills and shopping; then the sweep and ${moves} moves of the clock deliver the rest`,
      },
      {
        name: 'delivery_restart_ms',
        value: Math.round(Math.max(...lives.starts)),
        unit: 'ms',
        note: 'slowest signer process start (tsx)',
      },
    ])

    expect(receiver.refusals).toEqual([])
    expect(counts.mislabelled).toBe(0)
    expect(ledger.mismatches.length, ledger.explained).toBe(0)
    // a refund a kill left half done is stored with its reservation and sent by the sweep (e89226e)
    expect(halfDone).toEqual({ reserved: [], approved: [] })
    expect(audit.disagreements, await explainDisagreements(audit.disagreements)).toEqual([])
    expect(audit.orders).toBe(orders.length)
    expect(swept.failed).toBe(0)
    expect(orders.map((o) => o.callerReference).sort()).toEqual(
      customers.map((c) => c.callerReference).sort()
    )
    expect(orders.filter((o) => QUIET.has(o.status)).map((o) => o.callerReference)).toEqual([])
    expect(events.filter((e) => e.state !== 'delivered').map((e) => e.id)).toEqual([])
    expect(mismatched).toEqual([])
    expect(unknown).toEqual([])
    expect(missing.map((e) => `${e.id} ${e.type}`)).toEqual([])
    expect(changesWithoutEvent).toBe(0)
    expect(outOfOrder).toBe(0)
    expect(twice).toEqual([])
    expect([...receiver.fulfilments.keys()].sort()).toEqual([...paidOrders].sort())
  },
  SCALE.timeoutMs
)
