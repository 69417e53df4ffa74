import type { TransactionStatus } from '@fps-checkout/protocol'
import { formatCents } from '../../money.js'
import type { Operation, Transition } from '../../store/types.js'
import { type PaymentsContext, timestamp } from '../context.js'
import { ACTIONS, ownsTransaction, type Rule, refusalRule, statusRule } from './rules.js'

/** A transaction status FPS reported for an operation: in its answer, an IPN or a status query. */
export interface StatusReport {
  status: TransactionStatus
  /** Where the report came from, for the history line. */
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
 * Applies a finished operation to its order: FPS's transaction status, or FPS's refusal. A
 * prepared (unanswered) operation leaves the order as it is.
 */
export async function applyOperation(
  ctx: PaymentsContext,
  operation: Operation,
  first: boolean
): Promise<void> {
  const source = ACTIONS[operation.kind]
  if (operation.state === 'failed') {
    if (first && operation.kind === 'refund') await releaseRefund(ctx, operation)
    const rule = refusalRule(operation.kind)
    const note = `${source} refused: ${operation.errorCode}: ${operation.errorMessage}`
    if (rule) await move(ctx, operation.callerReference, rule, note)
  } else if (operation.state === 'done' && operation.transactionStatus) {
    const status = operation.transactionStatus as TransactionStatus
    await applyStatus(ctx, operation, { status, source, first })
  }
}

/** Applies one transaction status report to the order, by the status rules. */
export async function applyStatus(
  ctx: PaymentsContext,
  operation: Operation,
  report: StatusReport
): Promise<void> {
  if (report.first && report.status === 'Failure' && operation.kind === 'refund') {
    await releaseRefund(ctx, operation)
  }
  const moves = statusRule(operation.kind, report.status, report.statusCode)
  const order = await ctx.store.getOrder(operation.callerReference)
  if (!moves || !order) return
  const transactionId = ownsTransaction(operation.kind) ? operation.transactionId : undefined
  // each refund moves its order (refunded again, for a second one) once: the store sees to it
  const refund = operation.kind === 'refund' ? operation.key : undefined
  if (
    !refund &&
    order.status === moves.rule.to &&
    (!transactionId || order.transactionId === transactionId)
  ) {
    return
  }
  const amount =
    operation.amountCents === undefined ? '' : ` (${formatCents(operation.amountCents)})`
  const note = `${report.source}: ${moves.told}${amount}.`
  await move(ctx, order.callerReference, moves.rule, note, {
    ...(transactionId ? { set: { transactionId } } : {}),
    ...(refund ? { refund } : {}),
  })
}

async function move(
  ctx: PaymentsContext,
  callerReference: string,
  rule: Rule,
  note: string,
  applies: Pick<Transition, 'set' | 'refund'> = {}
): Promise<void> {
  await ctx.store.transition(callerReference, { ...rule, note, at: timestamp(ctx), ...applies })
}

async function releaseRefund(ctx: PaymentsContext, operation: Operation): Promise<void> {
  if (operation.amountCents === undefined) return
  await ctx.store.adjustRefunded(operation.callerReference, -operation.amountCents)
  ctx.log.warn('refund failed; its amount is refundable again', { operation: operation.key })
}
