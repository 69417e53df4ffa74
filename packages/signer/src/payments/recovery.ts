import { FpsError } from '@fps-checkout/protocol'
import type { Order } from '../store/types.js'
import { chargeAuthorized } from './authorized.js'
import { type PaymentsContext, timestamp } from './context.js'
import { catchUp } from './operations/index.js'

/**
 * Catches up an order whose buyer never came back from CBUI: `GetTokenByCaller` finds the token
 * the buyer installed, and the order is charged as if the return had arrived. Without a token,
 * an order past its `expiresAt` expires.
 */
export async function recoverOrder(ctx: PaymentsContext, order: Order): Promise<Order> {
  let tokenId: string | undefined
  try {
    const { Token: tokens = [] } = await ctx.fps.call('GetTokenByCaller', {
      CallerReference: order.callerReference,
    })
    tokenId = tokens.find((token) => token.TokenStatus === 'Active')?.TokenId
  } catch (error) {
    if (!(error instanceof FpsError) || error.retriable) throw error
  }
  if (tokenId) {
    const authorized = await ctx.store.transition(order.callerReference, {
      from: ['created'],
      to: 'pending',
      note: 'The buyer authorized but never came back; token recovered with GetTokenByCaller.',
      at: timestamp(ctx),
      set: { tokenId },
    })
    if (authorized) return chargeAuthorized(ctx, authorized)
  } else if (timestamp(ctx) >= order.expiresAt) {
    const expired = await ctx.store.transition(order.callerReference, {
      from: ['created'],
      to: 'expired',
      note: 'The buyer never came back and installed no token.',
      at: timestamp(ctx),
    })
    if (expired) return expired
  }
  return (await ctx.store.getOrder(order.callerReference)) ?? order
}

/**
 * Reconciles an order with FPS: a checkout without a return is recovered, an authorized order
 * with no stored Pay is charged (a plan's starting its subscription), stored requests that got no
 * answer are sent again, and transactions reported Pending are asked about.
 */
export async function refreshOrder(ctx: PaymentsContext, order: Order): Promise<Order> {
  if (order.status === 'created') return recoverOrder(ctx, order)
  return catchUp(ctx, order, chargeAuthorized)
}
