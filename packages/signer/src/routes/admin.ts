import { type Context, Hono } from 'hono'
import { z } from 'zod'
import type { SignerEnv } from '../env.js'
import { SignerError } from '../errors.js'
import { readBody } from '../http/body.js'
import { ORDER_STATUSES } from '../http/contract.js'
import { orderView } from '../http/views.js'
import { adminAuth } from '../middleware/admin-auth.js'
import { cancelOrder, refundOrder, settleOrder } from '../payments/admin.js'
import type { PaymentsContext } from '../payments/context.js'
import { refreshOrder } from '../payments/recovery.js'
import type { Order } from '../store/types.js'
import { accountRoutes } from './account.js'
import { forRequest } from './context.js'
import { refundRequestRoutes } from './refund-requests.js'
import { subscriptionRoutes } from './subscriptions.js'

const listQuery = z.strictObject({
  status: z.enum(ORDER_STATUSES).optional(),
  cursor: z.string().min(1).max(128).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
})
const refundBody = z.strictObject({ amount: z.string().max(32).optional() })

/**
 * The merchant's API, behind `FPS_ADMIN_TOKEN`: list orders, settle a reservation, refund (in
 * full or in part), cancel, and refresh an order from FPS; decide the buyers' refund requests;
 * list and cancel subscriptions; read the FPS account.
 */
export function adminRoutes(ctx: PaymentsContext) {
  const act = async (c: Context<SignerEnv>, action: (order: Order) => Promise<Order>) => {
    const order = await ctx.store.getOrder(c.req.param('callerReference') ?? '')
    if (!order)
      throw new SignerError('order_not_found', 'There is no order with that callerReference.')
    return c.json({ order: orderView(await action(order)) })
  }
  return new Hono<SignerEnv>()
    .use(adminAuth({ adminToken: ctx.config.adminToken }))
    .get('/orders', async (c) => {
      const query = listQuery.safeParse(c.req.query())
      if (!query.success) {
        throw new SignerError(
          'invalid_request',
          'Use ?status=<order status>&limit=1..500&cursor=<next>.'
        )
      }
      const { status, cursor, limit } = query.data
      // the cursor is the last order of the page before: the next page starts below it
      const before = cursor === undefined ? undefined : await ctx.store.getOrder(cursor)
      if (cursor !== undefined && !before)
        throw new SignerError(
          'invalid_request',
          'The cursor names no order; start from the first page.'
        )
      const found = await ctx.store.listOrders({
        limit: limit + 1,
        ...(status ? { status: [status] } : {}),
        ...(before ? { before } : {}),
      })
      const page = found.slice(0, limit)
      const last = page.at(-1)
      return c.json({
        orders: page.map((order) => orderView(order)),
        ...(found.length > limit && last ? { next: last.callerReference } : {}),
      })
    })
    .post('/orders/:callerReference/settle', (c) =>
      act(c, (order) => settleOrder(forRequest(ctx, c), order))
    )
    .post('/orders/:callerReference/refund', async (c) => {
      const body = c.req.header('content-type') ? await readBody(c, refundBody) : {}
      return act(c, (order) => refundOrder(forRequest(ctx, c), order, body.amount))
    })
    .post('/orders/:callerReference/cancel', (c) =>
      act(c, (order) => cancelOrder(forRequest(ctx, c), order))
    )
    .post('/orders/:callerReference/refresh', (c) =>
      act(c, (order) => refreshOrder(forRequest(ctx, c), order))
    )
    .route('/', accountRoutes(ctx))
    .route('/', refundRequestRoutes(ctx))
    .route('/', subscriptionRoutes(ctx))
}
