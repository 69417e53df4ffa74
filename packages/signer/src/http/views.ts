import { formatCents } from '../money.js'
import type { Order } from '../store/types.js'
import type { HistoryEntry, OrderView } from './contract.js'

/** What of an order its view shows; an event keeps these as its change left them. */
export type ViewedOrder = Pick<
  Order,
  | 'callerReference'
  | 'status'
  | 'amount'
  | 'currencyCode'
  | 'reason'
  | 'item'
  | 'transactionId'
  | 'refundedCents'
  | 'createdAt'
  | 'updatedAt'
>

/** Shapes an order for a response: no token, no idempotency data, no signed URL. */
export function orderView(order: ViewedOrder, history?: HistoryEntry[]): OrderView {
  return {
    callerReference: order.callerReference,
    status: order.status,
    amount: order.amount,
    currencyCode: order.currencyCode,
    reason: order.reason,
    ...(order.item === undefined ? {} : { item: order.item }),
    ...(order.transactionId === undefined ? {} : { transactionId: order.transactionId }),
    ...(order.refundedCents > 0 ? { refundedAmount: formatCents(order.refundedCents) } : {}),
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    ...(history === undefined ? {} : { history }),
  }
}
