import type { ActivityEntry } from '../http/contract.js'
import { formatCents, toCents } from '../money.js'
import { DAY_MS } from '../policy/plans.js'
import type { Operation, Order, OrderStatus, Store } from '../store/types.js'
import { accountActivity, everyActivity } from './account.js'
import { type PaymentsContext, timestamp } from './context.js'

/**
 * How the signer's records and FPS's account can disagree: the signer counts money FPS does not
 * report (`missing_payment`), FPS charged an order the signer never charged (`unexpected_charge`),
 * another difference of state (`status_differs`), of the amount charged (`amount_differs`) or
 * refunded (`refund_differs`), or FPS has a transaction of the merchant's that no order of the
 * signer knows (`unknown_transaction`).
 */
export type DisagreementKind =
  | 'missing_payment'
  | 'unexpected_charge'
  | 'status_differs'
  | 'amount_differs'
  | 'refund_differs'
  | 'unknown_transaction'

/** One disagreement, with the order or the FPS transaction it is about. */
export interface Disagreement {
  kind: DisagreementKind
  callerReference?: string
  transactionId?: string
  message: string
}

/** A period's orders compared with FPS's account activity. */
export interface LedgerReport {
  from: string
  to: string
  /** The orders created in the period, all compared. */
  orders: number
  /** The transactions the merchant made at FPS in the period, all accounted for. */
  transactions: number
  disagreements: Disagreement[]
}

/** How an order stands by FPS's own account: its charge's (and settle's) transaction status. */
type FpsStanding = 'none' | 'pending' | 'reserved' | 'success' | 'failure' | 'cancelled'

/** The standings FPS may report for each order status without the two disagreeing. */
const AGREES: Record<OrderStatus, readonly FpsStanding[]> = {
  created: ['none'],
  // a Pay stored but not sent yet is not at FPS
  pending: ['none', 'pending'],
  // a free trial's sign-up charges nothing: its periods are orders of their own
  authorized: ['none'],
  reserved: ['reserved'],
  success: ['success'],
  refunded: ['success'],
  failure: ['none', 'failure'],
  cancelled: ['none', 'cancelled'],
  // a reservation that lapsed is Cancelled at FPS (status code Expired)
  expired: ['none', 'cancelled'],
}

/** Order statuses that say the merchant has the money, or holds it. */
const HOLDS: ReadonlySet<OrderStatus> = new Set(['reserved', 'success', 'refunded'])
/** FPS standings of a charge that has taken, holds or is taking the buyer's money. */
const CHARGED: ReadonlySet<FpsStanding> = new Set(['pending', 'reserved', 'success'])
/** Transaction statuses that moved or hold money; a failed or cancelled one moved none. */
const MOVED: ReadonlySet<string> = new Set(['Success', 'Pending', 'Reserved'])
/** Refunds that gave money back, or are giving it back. */
const REFUNDING: ReadonlySet<string> = new Set(['Success', 'Pending'])

/** How many orders are read at a time. */
const PAGE = 500
/**
 * FPS's clock and the signer's may differ: the activity is read from this long before the period,
 * so an order created at its very start still finds its charge.
 */
const CLOCK_MARGIN_MS = 60 * 60_000

/** The period of a comparison, ISO 8601 instants: by default the day up to now. */
export interface LedgerPeriod {
  from?: string | undefined
  to?: string | undefined
}

/**
 * Compares every order created in the period with FPS's own account activity (up to now, so the
 * settles and refunds that came later count), and every transaction the merchant made at FPS in
 * the period with the signer's orders. Reads only: it moves no order (the sweep does that).
 */
export async function compareWithLedger(
  ctx: PaymentsContext,
  period: LedgerPeriod = {}
): Promise<LedgerReport> {
  // stored times are toISOString()'s, so text order is time order
  const to = new Date(period.to ?? timestamp(ctx))
  const from = new Date(period.from ?? to.getTime() - DAY_MS)
  const range = { from: from.toISOString(), to: to.toISOString() }
  const activity = await readActivity(ctx, range.from)
  const disagreements: Disagreement[] = []
  let orders = 0
  for await (const order of ordersCreated(ctx.store, range)) {
    orders += 1
    const operations = await ctx.store.listOperations(order.callerReference)
    disagreements.push(...compareOrder(order, operations, activity))
  }
  const [start, end] = [Date.parse(range.from), Date.parse(range.to)]
  let transactions = 0
  for (const entry of activity.all) {
    const received = Date.parse(entry.receivedAt)
    if (received < start || received > end) continue
    transactions += 1
    if (MOVED.has(entry.status) && !(await isKnown(ctx.store, entry))) {
      disagreements.push({
        kind: 'unknown_transaction',
        transactionId: entry.transactionId,
        message: `FPS's ${describe(entry)} matches no order of the signer.`,
      })
    }
  }
  return { ...range, orders, transactions, disagreements }
}

/** The merchant's FPS transactions, indexed the ways an order looks for its own. */
interface Activity {
  all: ActivityEntry[]
  byId: Map<string, ActivityEntry>
  /** Pay and Reserve transactions by their CallerReference, an order's. */
  charges: Map<string, ActivityEntry>
  /** Settles and refunds by the transaction they acted on. */
  children: Map<string, ActivityEntry[]>
}

async function readActivity(ctx: PaymentsContext, from: string): Promise<Activity> {
  const since = new Date(Date.parse(from) - CLOCK_MARGIN_MS).toISOString()
  const activity: Activity = { all: [], byId: new Map(), charges: new Map(), children: new Map() }
  const page = everyActivity((query) => accountActivity(ctx, query), {
    from: since,
    role: 'Caller',
  })
  for await (const entry of page) {
    activity.all.push(entry)
    activity.byId.set(entry.transactionId, entry)
    if ((entry.operation === 'Pay' || entry.operation === 'Reserve') && entry.callerReference) {
      activity.charges.set(entry.callerReference, entry)
    }
    if (entry.originalTransactionId) {
      const siblings = activity.children.get(entry.originalTransactionId) ?? []
      activity.children.set(entry.originalTransactionId, [...siblings, entry])
    }
  }
  return activity
}

async function* ordersCreated(store: Store, created: { from: string; to: string }) {
  let after: Order | undefined
  for (;;) {
    const page = await store.listOrders({
      created,
      oldestFirst: true,
      limit: PAGE,
      ...(after ? { after } : {}),
    })
    yield* page
    if (page.length < PAGE) return
    after = page.at(-1)
  }
}

/** Where one order and FPS's account disagree: its state, the amount charged, the refunds. */
function compareOrder(order: Order, operations: Operation[], activity: Activity): Disagreement[] {
  const found: Disagreement[] = []
  const say = (kind: DisagreementKind, message: string, transactionId?: string) =>
    found.push({
      kind,
      callerReference: order.callerReference,
      ...(transactionId === undefined ? {} : { transactionId }),
      message: `The order ${order.callerReference} ${message}`,
    })
  const chargeId = operations.find(
    (op) => op.kind === 'pay' || op.kind === 'reserve'
  )?.transactionId
  const charge =
    (chargeId === undefined ? undefined : activity.byId.get(chargeId)) ??
    activity.charges.get(order.callerReference)
  const children = charge ? (activity.children.get(charge.transactionId) ?? []) : []
  const settle = children.find((entry) => entry.operation === 'Settle')
  const standing = standingOf(charge, settle)
  if (!AGREES[order.status].includes(standing)) {
    const kind =
      HOLDS.has(order.status) && standing !== 'reserved' && standing !== 'success'
        ? 'missing_payment'
        : !HOLDS.has(order.status) && CHARGED.has(standing)
          ? 'unexpected_charge'
          : 'status_differs'
    const fps = charge
      ? `FPS's ${describe(charge)}${settle ? ` and its ${describe(settle)}` : ''}`
      : `FPS has no ${order.capture === 'pay' ? 'Pay' : 'Reserve'} for it`
    say(kind, `is ${order.status}, but ${fps}.`, charge?.transactionId)
  }
  for (const entry of [charge, settle]) {
    if (entry && MOVED.has(entry.status) && toCents(entry.amount) !== order.amountCents) {
      say(
        'amount_differs',
        `is for ${order.amount}, but FPS's ${describe(entry)}.`,
        entry.transactionId
      )
    }
  }
  const paid = order.capture === 'pay' ? charge : settle
  const refunds = paid
    ? (activity.children.get(paid.transactionId) ?? []).filter(
        (entry) => entry.operation === 'Refund' && REFUNDING.has(entry.status)
      )
    : []
  const refunded = refunds.reduce((sum, entry) => sum + (toCents(entry.amount) ?? 0), 0)
  if (refunded !== order.refundedCents) {
    say(
      'refund_differs',
      `has ${formatCents(order.refundedCents)} refunded, but FPS ${formatCents(refunded)} (${refunds.length} refunds).`
    )
  }
  return found
}

function standingOf(charge?: ActivityEntry, settle?: ActivityEntry): FpsStanding {
  switch (charge?.status) {
    case undefined:
      return 'none'
    case 'Success':
      // a Reserve is Success once settled; the order is paid when its Settle is
      return charge.operation === 'Reserve' && settle?.status !== 'Success' ? 'reserved' : 'success'
    case 'Reserved':
      return 'reserved'
    case 'Pending':
      return 'pending'
    case 'Cancelled':
      return 'cancelled'
    default:
      return 'failure'
  }
}

/** Whether a transaction is one of the signer's: by its id, or by the CallerReference sent for it. */
async function isKnown(store: Store, entry: ActivityEntry): Promise<boolean> {
  if ((await store.findOperationsByTransaction(entry.transactionId)).length > 0) return true
  return (
    entry.callerReference !== undefined &&
    (await store.findOperationByReference(entry.callerReference)) !== undefined
  )
}

function describe(entry: ActivityEntry): string {
  const reference = entry.callerReference ? `, CallerReference ${entry.callerReference}` : ''
  return `${entry.operation} ${entry.transactionId} is ${entry.status} (${entry.amount} ${entry.currencyCode}${reference})`
}
