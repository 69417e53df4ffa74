import { allowanceOf, planOf } from '../policy/catalog.js'
import type { Order } from '../store/types.js'
import { activateAllowance } from './allowances.js'
import type { PaymentsContext } from './context.js'
import { charge } from './operations/index.js'
import { advance, subscribe } from './subscriptions.js'

/**
 * Charges an order the buyer authorized, once, whether the return or the sweep found the token:
 * a plan's order starts its subscription, whose first period it pays; an allowance's order makes
 * the allowance usable and pays its item with it; a later period's order, or any other, is
 * charged as it is.
 */
export async function chargeAuthorized(ctx: PaymentsContext, order: Order): Promise<Order> {
  if (order.periodOf !== undefined) return charge(ctx, order)
  const plan = planOf(ctx.config.catalog, order.item)
  if (plan) {
    await advance(ctx, await subscribe(ctx, order, plan))
    return (await ctx.store.getOrder(order.callerReference)) ?? order
  }
  if (allowanceOf(ctx.config.catalog, order.item)) await activateAllowance(ctx, order)
  return charge(ctx, order)
}
