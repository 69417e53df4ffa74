import { formatCents } from '../money.js'
import type { RefundRequest } from '../store/refund-requests.js'
import { type Subscription, stillCharges } from '../store/subscriptions.js'
import type { Order } from '../store/types.js'
import type { HistoryEntry, OrderView, RefundRequestView, SubscriptionView } from './contract.js'

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

/** Shapes a refund request for a response. */
export function refundRequestView(request: RefundRequest): RefundRequestView {
  return {
    id: request.id,
    callerReference: request.callerReference,
    amount: formatCents(request.amountCents),
    currencyCode: request.currencyCode,
    status: request.status,
    ...(request.reason === undefined ? {} : { reason: request.reason }),
    ...(request.decidedBy === undefined ? {} : { decidedBy: request.decidedBy }),
    ...(request.note === undefined ? {} : { note: request.note }),
    createdAt: request.createdAt,
    ...(request.decidedAt === undefined ? {} : { decidedAt: request.decidedAt }),
  }
}

/** Shapes a subscription for a response and its events: no token. */
export function subscriptionView(subscription: Subscription): SubscriptionView {
  return {
    plan: subscription.plan,
    every: subscription.every,
    amount: subscription.amount,
    currencyCode: subscription.currencyCode,
    status: subscription.status,
    chargedPeriods: subscription.chargedPeriods,
    ...(stillCharges(subscription) ? { nextChargeAt: subscription.dueAt } : {}),
    ...(subscription.trialEndsAt ? { trialEndsAt: subscription.trialEndsAt } : {}),
    createdAt: subscription.createdAt,
    updatedAt: subscription.updatedAt,
  }
}
