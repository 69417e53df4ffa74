import type { Order } from '../store/types.js'
import type { PaymentsContext } from './context.js'
import { perform } from './operations.js'

/** The key of an order's one Pay or Reserve; the database lets it exist once per order. */
export function chargeKey(callerReference: string): string {
  return `charge:${callerReference}`
}

/**
 * Pays (or reserves, per the order's capture mode) an authorized order exactly once, with the
 * amount stored on the order: the browser never has a say in it after checkout. The order's
 * callerReference is the Pay's CallerReference too, so FPS also refuses a second charge.
 */
export async function charge(ctx: PaymentsContext, order: Order): Promise<Order> {
  if (!order.tokenId) throw new Error(`Order ${order.callerReference} has no sender token.`)
  const { operation } = await perform(ctx, {
    key: chargeKey(order.callerReference),
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
