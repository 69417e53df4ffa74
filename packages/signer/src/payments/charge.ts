import type { Order } from '../store/types.js'
import type { PaymentsContext } from './context.js'
import { operationKey, perform } from './operations.js'

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
    action: order.capture === 'reserve' ? 'Reserve' : 'Pay',
    params: {
      SenderTokenId: order.tokenId,
      TransactionAmount: { Value: order.amount, CurrencyCode: 'USD' },
      CallerReference: order.callerReference,
      CallerDescription: Array.from(order.reason).slice(0, 160).join(''),
      ...(ctx.config.ipnUrl ? { OverrideIPNURL: ctx.config.ipnUrl } : {}),
    },
  })
  return (await ctx.store.getOrder(operation.callerReference)) ?? order
}
