import { allowanceOf, planOf } from '../policy/catalog.js'
import { type Subscription, stillCharges } from '../store/subscriptions.js'
import type { Order } from '../store/types.js'
import { activateAllowance } from './allowances.js'
import { type PaymentsContext, timestamp } from './context.js'
import { charge, operationKey } from './operations/index.js'
import { advance, subscribe } from './subscriptions.js'

/**
 * Charges an order the buyer authorized, once, whether the return or the sweep found the token:
 * a plan's order starts its subscription, whose first period it pays unless a free trial comes
 * first; an allowance's order makes the allowance usable and pays its item with it; a later
 * period's order, or any other, is charged as it is.
 */
export async function chargeAuthorized(ctx: PaymentsContext, order: Order): Promise<Order> {
  if (order.periodOf !== undefined) return charge(ctx, order)
  const plan = planOf(ctx.config.catalog, order.item)
  if (plan) return closeSignUp(ctx, order, await advance(ctx, await subscribe(ctx, order, plan)))
  if (allowanceOf(ctx.config.catalog, order.item)) await activateAllowance(ctx, order)
  return charge(ctx, order)
}

/**
 * A plan's sign-up order that its subscription does not charge leaves `pending`, where the sweep
 * would look at it again and again.
 */
async function closeSignUp(
  ctx: PaymentsContext,
  order: Order,
  subscription: Subscription
): Promise<Order> {
  const found = (await ctx.store.getOrder(order.callerReference)) ?? order
  const change = found.status === 'pending' && (await closing(ctx, found, subscription))
  if (!change) return found
  const moved = await ctx.store.transition(order.callerReference, {
    from: ['pending'],
    ...change,
    at: timestamp(ctx),
  })
  return moved ?? (await ctx.store.getOrder(order.callerReference)) ?? found
}

/**
 * Where a pending sign-up order goes: a free trial's is `authorized` (the subscription charges
 * its periods later, each by an order of its own); one whose subscription was cancelled before it
 * charged the order is `cancelled`; one charged, or being charged, stays for its payment.
 */
async function closing(
  ctx: PaymentsContext,
  order: Order,
  subscription: Subscription
): Promise<{ to: 'authorized' | 'cancelled'; note: string } | undefined> {
  if (subscription.trialEndsAt) {
    return {
      to: 'authorized',
      note: `Authorized: the free trial ends ${subscription.trialEndsAt}, and the first period is charged then.`,
    }
  }
  if (stillCharges(subscription) || subscription.chargedPeriods > 0) return undefined
  if (await ctx.store.getOperation(operationKey.charge(order.callerReference))) return undefined
  return { to: 'cancelled', note: 'The subscription was cancelled before its first charge.' }
}
