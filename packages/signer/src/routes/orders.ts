import { Hono } from 'hono'
import type { SignerEnv } from '../env.js'
import { SignerError } from '../errors.js'
import { bearerToken, hashToken } from '../http/tokens.js'
import { orderView } from '../http/views.js'
import { isAdminToken } from '../middleware/admin-auth.js'
import type { PaymentsContext } from '../payments/context.js'

/**
 * `GET /orders/:callerReference`: the order and its history, for the buyer holding the order's
 * access token or for the merchant's admin token. Without either, whether the order exists stays
 * unsaid.
 */
export function orderRoutes(ctx: PaymentsContext) {
  return new Hono<SignerEnv>().get('/:callerReference', async (c) => {
    const callerReference = c.req.param('callerReference')
    const token = bearerToken(c.req.header('authorization'))
    const allowed =
      token !== undefined &&
      (isAdminToken(token, ctx.config.adminToken) ||
        (await ctx.store.hasAccessToken(callerReference, hashToken(token))))
    if (!allowed) {
      throw new SignerError(
        'unauthorized',
        "Show the order's access token as Authorization: Bearer <token>."
      )
    }
    const order = await ctx.store.getOrder(callerReference)
    if (!order)
      throw new SignerError('order_not_found', 'There is no order with that callerReference.')
    return c.json({ order: orderView(order, await ctx.store.history(callerReference)) })
  })
}
