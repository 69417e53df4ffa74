import { formatCents } from '../../money.js'
import type { Operation, Order } from '../../store/types.js'
import type { PaymentsContext } from '../context.js'
import { operationKey, refundReference } from './keys.js'
import { perform, performRefund } from './lifecycle.js'

/**
 * Pays (or reserves, per the order's capture mode) an authorized order exactly once, with the
 * amount stored on the order: the browser never has a say in it after checkout. The order's
 * callerReference is the Pay's CallerReference too, so FPS also refuses a second charge.
 */
export async function charge(ctx: PaymentsContext, order: Order): Promise<Order> {
  if (!order.tokenId) throw new Error(`Order ${order.callerReference} has no sender token.`)
  const { operation } = await perform(ctx, {
    key: operationKey.charge(order.callerReference),
    kind: order.capture,
    callerReference: order.callerReference,
    fpsCallerReference: order.callerReference,
    amountCents: order.amountCents,
    params: {
      SenderTokenId: order.tokenId,
      TransactionAmount: { Value: order.amount, CurrencyCode: 'USD' },
      CallerReference: order.callerReference,
      CallerDescription: Array.from(order.reason).slice(0, 160).join(''),
      ...notify(ctx),
    },
  })
  return (await ctx.store.getOrder(operation.callerReference)) ?? order
}

/** Settles the order's reservation, the transaction of its Reserve, for the full amount, once. */
export async function settle(
  ctx: PaymentsContext,
  order: Order,
  reserveTransactionId: string
): Promise<Operation> {
  const { operation } = await perform(ctx, {
    key: operationKey.settle(order.callerReference),
    kind: 'settle',
    callerReference: order.callerReference,
    amountCents: order.amountCents,
    params: {
      ReserveTransactionId: reserveTransactionId,
      TransactionAmount: { Value: order.amount, CurrencyCode: 'USD' },
      ...notify(ctx),
    },
  })
  return operation
}

/**
 * Refunds `cents` of the order's payment as a new refund: the first refund number not stored yet
 * gives it its own CallerReference, as FPS requires of each refund; a given `reference` (an
 * approved refund request's) refunds once under it. Undefined if the order has not `cents` left.
 */
export async function refund(
  ctx: PaymentsContext,
  order: Order,
  transactionId: string,
  cents: number,
  reference?: string
): Promise<Operation | undefined> {
  const refunds = (await ctx.store.listOperations(order.callerReference)).filter(
    (operation) => operation.kind === 'refund'
  )
  for (let number = refunds.length + 1; ; number++) {
    const fpsReference = reference ?? refundReference(order.callerReference, number)
    const performed = await performRefund(ctx, {
      key: operationKey.refund(fpsReference),
      kind: 'refund',
      callerReference: order.callerReference,
      fpsCallerReference: fpsReference,
      amountCents: cents,
      params: {
        TransactionId: transactionId,
        CallerReference: fpsReference,
        RefundAmount: { Value: formatCents(cents), CurrencyCode: 'USD' },
        ...notify(ctx),
      },
    })
    if (!performed || performed.inserted || reference) return performed?.operation
  }
}

/** Cancels the order's pending payment or reservation at FPS, once. */
export async function cancel(
  ctx: PaymentsContext,
  order: Order,
  transactionId: string
): Promise<Operation> {
  const { operation } = await perform(ctx, {
    key: operationKey.cancel(order.callerReference),
    kind: 'cancel',
    callerReference: order.callerReference,
    params: { TransactionId: transactionId, ...notify(ctx) },
  })
  return operation
}

/** Where FPS posts the operation's IPNs, when configured. */
function notify(ctx: PaymentsContext): { OverrideIPNURL?: string } {
  return ctx.config.ipnUrl ? { OverrideIPNURL: ctx.config.ipnUrl } : {}
}
