import type { TransactionStatus } from '@fps-checkout/protocol'
import { formatCents } from '../money.js'
import type { Operation, OperationKind, Order, OrderStatus } from '../store/types.js'
import { type PaymentsContext, timestamp } from './context.js'

interface Rule {
  from: readonly OrderStatus[]
  to: OrderStatus
}

/**
 * How a transaction status reported for an operation moves its order. Each rule names the states
 * it may leave, so a late or repeated report (a PENDING IPN after SUCCESS) changes nothing.
 */
const RULES: Record<OperationKind, Partial<Record<TransactionStatus, Rule>>> = {
  pay: {
    Pending: { from: ['pending'], to: 'pending' },
    Success: { from: ['pending'], to: 'success' },
    Failure: { from: ['pending'], to: 'failure' },
    Cancelled: { from: ['pending'], to: 'cancelled' },
  },
  reserve: {
    Pending: { from: ['pending'], to: 'pending' },
    Reserved: { from: ['pending'], to: 'reserved' },
    Failure: { from: ['pending'], to: 'failure' },
    Cancelled: { from: ['pending', 'reserved'], to: 'cancelled' },
  },
  settle: { Success: { from: ['reserved'], to: 'success' } },
  refund: { Success: { from: ['success', 'refunded'], to: 'refunded' } },
  cancel: { Cancelled: { from: ['pending', 'reserved'], to: 'cancelled' } },
}

/** A reservation FPS cancelled because it was not settled in time (status code `Expired`). */
const LAPSED: Rule = { from: ['reserved'], to: 'expired' }

const ACTIONS: Record<OperationKind, string> = {
  pay: 'Pay',
  reserve: 'Reserve',
  settle: 'Settle',
  refund: 'Refund',
  cancel: 'Cancel',
}

/** Where a status report came from, for the history line. */
export interface StatusReport {
  status: TransactionStatus
  source: string
  /** FPS's finer status code (`Expired` tells a lapsed reservation from a cancelled one). */
  statusCode?: string
  /**
   * Whether this report is the first to finish the operation, so once-only effects (giving back
   * the refundable amount of a failed refund) happen exactly once.
   */
  first: boolean
}

/**
 * Applies a finished operation to its order: FPS's transaction status, or, for a refused Pay or
 * Reserve, the failure. A prepared (unanswered) operation leaves the order as it is.
 */
export async function applyOperation(
  ctx: PaymentsContext,
  operation: Operation,
  first: boolean
): Promise<Order | undefined> {
  if (operation.state === 'failed') {
    if (first && operation.kind === 'refund') await releaseRefund(ctx, operation)
    if (operation.kind !== 'pay' && operation.kind !== 'reserve') {
      return ctx.store.getOrder(operation.callerReference)
    }
    const note = `${ACTIONS[operation.kind]} refused: ${operation.errorCode}: ${operation.errorMessage}`
    return move(ctx, operation.callerReference, { from: ['pending'], to: 'failure' }, note)
  }
  if (operation.state === 'done' && operation.transactionStatus) {
    const status = operation.transactionStatus as TransactionStatus
    return applyStatus(ctx, operation, { status, source: ACTIONS[operation.kind], first })
  }
  return ctx.store.getOrder(operation.callerReference)
}

/** Applies one transaction status report (an answer, an IPN, a status query) to the order. */
export async function applyStatus(
  ctx: PaymentsContext,
  operation: Operation,
  report: StatusReport
): Promise<Order | undefined> {
  if (report.first && report.status === 'Failure' && operation.kind === 'refund') {
    await releaseRefund(ctx, operation)
  }
  const lapsed =
    operation.kind === 'reserve' && report.status === 'Cancelled' && report.statusCode === 'Expired'
  const rule = lapsed ? LAPSED : RULES[operation.kind][report.status]
  const order = await ctx.store.getOrder(operation.callerReference)
  if (!rule || !order) return order
  const transactionId =
    operation.kind === 'pay' || operation.kind === 'reserve' || operation.kind === 'settle'
      ? operation.transactionId
      : undefined
  if (order.status === rule.to && (!transactionId || order.transactionId === transactionId)) {
    return order
  }
  const note = `${report.source}: ${lapsed ? 'Expired' : report.status}${
    operation.amountCents === undefined ? '' : ` (${formatCents(operation.amountCents)})`
  }.`
  return move(ctx, order.callerReference, rule, note, transactionId)
}

async function move(
  ctx: PaymentsContext,
  callerReference: string,
  rule: Rule,
  note: string,
  transactionId?: string
): Promise<Order | undefined> {
  const moved = await ctx.store.transition(callerReference, {
    ...rule,
    note,
    at: timestamp(ctx),
    ...(transactionId ? { set: { transactionId } } : {}),
  })
  return moved ?? ctx.store.getOrder(callerReference)
}

async function releaseRefund(ctx: PaymentsContext, operation: Operation): Promise<void> {
  if (operation.amountCents === undefined) return
  await ctx.store.adjustRefunded(operation.callerReference, -operation.amountCents)
  ctx.log.warn('refund failed; its amount is refundable again', { operation: operation.key })
}
