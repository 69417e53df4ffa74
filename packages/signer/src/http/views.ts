import { formatCents } from '../money.js'
import type { Order } from '../store/types.js'
import type { HistoryEntry, OrderView } from './contract.js'

/** Shapes an order for a response: no token, no idempotency data, no signed URL. */
export function orderView(order: Order, history?: HistoryEntry[]): OrderView {
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
