import type { Order } from '../../store/types.js'
import type { PaymentsContext } from '../context.js'
import { operationKey } from './keys.js'
import { refresh } from './lifecycle.js'
import { charge } from './requests.js'

/**
 * Brings an order's payment up to date with FPS: an authorized order with no stored charge (the
 * process stopped between the two) is charged by `chargeFirst`; otherwise stored requests that got
 * no answer are sent again and transactions reported Pending are asked about.
 */
export async function catchUp(
  ctx: PaymentsContext,
  order: Order,
  chargeFirst: (ctx: PaymentsContext, order: Order) => Promise<Order> = charge
): Promise<Order> {
  const operations = await ctx.store.listOperations(order.callerReference)
  const key = operationKey.charge(order.callerReference)
  if (order.status === 'pending' && order.tokenId && !operations.some((o) => o.key === key)) {
    return chargeFirst(ctx, order)
  }
  for (const operation of operations) await refresh(ctx, operation)
  return (await ctx.store.getOrder(order.callerReference)) ?? order
}
