import { SignerError } from '../errors.js'
import { formatCents, toCents } from '../money.js'
import { stillCharges } from '../store/subscriptions.js'
import type { Operation, Order, OrderStatus } from '../store/types.js'
import { type PaymentsContext, timestamp } from './context.js'
import { cancel, operationKey, refund, settle } from './operations/index.js'
import { cancelSubscription } from './subscriptions.js'

/** Charges a reserved order on shipment: `Settle` for the full reserved amount, once. */
export async function settleOrder(ctx: PaymentsContext, order: Order): Promise<Order> {
  requireState(order, ['reserved'], 'settled')
  const reserve = await ctx.store.getOperation(operationKey.charge(order.callerReference))
  if (!reserve?.transactionId) throw stateError(order, 'settled')
  return answered(ctx, await settle(ctx, order, reserve.transactionId))
}

/**
 * Refunds a paid order in full or in part. The refundable amount is taken in the transaction that
 * stores the refund (and given back if FPS refuses), so concurrent refunds cannot exceed the
 * payment and no crash can keep the amount without the refund. A `reference` (an approved refund
 * request's) makes the refund once under that FPS CallerReference.
 */
export async function refundOrder(
  ctx: PaymentsContext,
  order: Order,
  amount: string | undefined,
  reference?: string
): Promise<Order> {
  requireState(order, ['success', 'refunded'], 'refunded')
  if (!order.transactionId) throw stateError(order, 'refunded')
  const remaining = order.amountCents - order.refundedCents
  const cents = amount === undefined ? remaining : toCents(amount)
  if (cents === undefined || cents === 0) {
    throw new SignerError(
      'invalid_amount',
      'A refund amount is a positive decimal string, like "0.50".'
    )
  }
  // a reference's refund may be stored already, its amount taken: the store answers it
  const operation =
    cents > remaining && !reference
      ? undefined
      : await refund(ctx, order, order.transactionId, cents, reference)
  if (!operation) {
    throw new SignerError(
      'amount_out_of_bounds',
      `At most ${formatCents(remaining)} ${order.currencyCode} of this order can still be refunded.`
    )
  }
  return answered(ctx, operation)
}

/** Who cancels an order: the merchant (admin API), or its buyer (with the order's access token). */
export type Canceller = 'merchant' | 'buyer'

/**
 * What each may cancel: a checkout not authorized yet, a reservation not settled; the merchant
 * also a payment still pending at FPS.
 */
const CANCELLABLE: Record<Canceller, readonly OrderStatus[]> = {
  merchant: ['created', 'pending', 'reserved'],
  buyer: ['created', 'reserved'],
}

/** The history line of a checkout cancelled before the buyer authorized it. */
const UNAUTHORIZED_CANCEL: Record<Canceller, string> = {
  merchant: 'Cancelled by the merchant before the buyer authorized.',
  buyer: 'Cancelled by the buyer before authorizing.',
}

/**
 * Cancels an order: one the buyer has not authorized is cancelled here; a pending payment or a
 * reservation is cancelled at FPS (`Cancel`). A plan's order cancels its subscription instead:
 * its periods paid stay paid, and nothing more is charged.
 */
export async function cancelOrder(
  ctx: PaymentsContext,
  order: Order,
  by: Canceller = 'merchant'
): Promise<Order> {
  const subscription = await ctx.store.getSubscription(order.callerReference)
  if (subscription && stillCharges(subscription)) {
    await cancelSubscription(ctx, subscription, `Subscription cancelled by the ${by}.`)
    return (await ctx.store.getOrder(order.callerReference)) ?? order
  }
  requireState(order, CANCELLABLE[by], 'cancelled')
  if (order.status === 'created') {
    const cancelled = await ctx.store.transition(order.callerReference, {
      from: ['created'],
      to: 'cancelled',
      note: UNAUTHORIZED_CANCEL[by],
      at: timestamp(ctx),
    })
    if (cancelled) return cancelled
    throw stateError(order, 'cancelled')
  }
  if (!order.transactionId) throw stateError(order, 'cancelled')
  return answered(ctx, await cancel(ctx, order, order.transactionId))
}

/** The order after an admin operation, or the error FPS gave for it. */
async function answered(ctx: PaymentsContext, operation: Operation): Promise<Order> {
  if (operation.state === 'failed') {
    throw new SignerError(
      'upstream_error',
      `FPS refused the ${operation.kind}: ${operation.errorCode}: ${operation.errorMessage}`,
      { retriable: false }
    )
  }
  if (operation.state === 'prepared') {
    throw new SignerError(
      'upstream_error',
      `FPS has not answered the ${operation.kind} yet; it is stored and is sent until FPS answers.`,
      { retriable: true }
    )
  }
  const order = await ctx.store.getOrder(operation.callerReference)
  if (!order) throw new Error(`Order ${operation.callerReference} is not stored.`)
  return order
}

function requireState(order: Order, allowed: readonly OrderStatus[], done: string): void {
  if (!allowed.includes(order.status)) throw stateError(order, done)
}

function stateError(order: Order, done: string): SignerError {
  return new SignerError(
    'invalid_order_state',
    `An order that is ${order.status} cannot be ${done}.`
  )
}
