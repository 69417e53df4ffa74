import { type Context, Hono } from 'hono'
import { z } from 'zod'
import type { SignerEnv } from '../env.js'
import { SignerError } from '../errors.js'
import { readBody, text } from '../http/body.js'
import { bearerToken, hashToken, orderAccessToken, safeEqual } from '../http/tokens.js'
import { orderView, refundRequestView, subscriptionView } from '../http/views.js'
import { isAdminToken } from '../middleware/admin-auth.js'
import { cancelOrder } from '../payments/admin.js'
import type { PaymentsContext } from '../payments/context.js'
import { requestRefund } from '../payments/refund-requests.js'
import type { Order } from '../store/types.js'
import { forRequest } from './context.js'

const refundRequestBody = z.strictObject({ reason: text(500).optional() })

/**
 * The buyer's own order, with the order's access token (or the merchant's admin token): `GET`
 * its status and history, `POST …/cancel` it while unpaid or only reserved (or its subscription), `POST
 * …/refund-requests` to ask for its payment back. Without a token that opens it, whether the
 * order exists stays unsaid.
 */
export function orderRoutes(ctx: PaymentsContext) {
  const ownOrder = async (c: Context<SignerEnv>): Promise<Order> => {
    const callerReference = c.req.param('callerReference') ?? ''
    if (!(await opens(ctx, callerReference, bearerToken(c.req.header('authorization'))))) {
      throw new SignerError(
        'unauthorized',
        "Show the order's access token as Authorization: Bearer <token>."
      )
    }
    const order = await ctx.store.getOrder(callerReference)
    if (!order)
      throw new SignerError('order_not_found', 'There is no order with that callerReference.')
    return order
  }
  return new Hono<SignerEnv>()
    .get('/:callerReference', async (c) => {
      const order = await ownOrder(c)
      const [history, request, subscription] = await Promise.all([
        ctx.store.history(order.callerReference),
        ctx.store.getRefundRequestOfOrder(order.callerReference),
        ctx.store.getSubscription(order.callerReference),
      ])
      return c.json({
        order: {
          ...orderView(order, history),
          ...(request ? { refundRequest: refundRequestView(request) } : {}),
          ...(subscription ? { subscription: subscriptionView(subscription) } : {}),
        },
      })
    })
    .post('/:callerReference/cancel', async (c) => {
      const order = await cancelOrder(forRequest(ctx, c), await ownOrder(c), 'buyer')
      const subscription = await ctx.store.getSubscription(order.callerReference)
      return c.json({
        order: {
          ...orderView(order),
          ...(subscription ? { subscription: subscriptionView(subscription) } : {}),
        },
      })
    })
    .post('/:callerReference/refund-requests', async (c) => {
      const order = await ownOrder(c)
      const body = c.req.header('content-type') ? await readBody(c, refundRequestBody) : {}
      const request = await requestRefund(forRequest(ctx, c), order, body.reason)
      return c.json({ refundRequest: refundRequestView(request) }, 201)
    })
}

/**
 * Whether a bearer token opens an order: the admin token, or the order's access token, checked
 * against each configured key (the current one mints it) or, for one minted under a key rotated
 * out since, against the hashes the returns stored.
 */
async function opens(
  ctx: PaymentsContext,
  callerReference: string,
  token: string | undefined
): Promise<boolean> {
  if (token === undefined) return false
  if (isAdminToken(token, ctx.config.adminToken)) return true
  const minted = ctx.config.keys.some((key) =>
    safeEqual(token, orderAccessToken(key.secretKey, callerReference))
  )
  return minted || ctx.store.hasAccessToken(callerReference, hashToken(token))
}
