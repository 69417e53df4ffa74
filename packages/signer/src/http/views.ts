import { formatCents } from '../money.js'
import type { HistoryEntry, Order, OrderStatus } from '../store/types.js'

/** An order as the browser and the admin API see it (docs/http-api.md). */
export interface OrderView {
  callerReference: string
  status: OrderStatus
  amount: string
  currencyCode: string
  reason: string
  item?: string
  transactionId?: string
  refundedAmount?: string
  createdAt: string
  updatedAt: string
  history?: HistoryEntry[]
}

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
