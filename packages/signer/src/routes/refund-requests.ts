import { type Context, Hono } from 'hono'
import { z } from 'zod'
import type { SignerEnv } from '../env.js'
import { SignerError } from '../errors.js'
import { readBody, text } from '../http/body.js'
import { orderView, refundRequestView } from '../http/views.js'
import type { PaymentsContext } from '../payments/context.js'
import { approveRefundRequest, declineRefundRequest } from '../payments/refund-requests.js'
import type { RefundRequest } from '../store/refund-requests.js'
import { forRequest } from './context.js'

const listQuery = z.strictObject({
  status: z.enum(['open', 'approved', 'declined']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
})
const declineBody = z.strictObject({ note: text(500).optional() })

/**
 * The buyers' refund requests, for the merchant behind the admin token: list them, approve one
 * (its amount is refunded, once) or decline it with a word for the buyer.
 */
export function refundRequestRoutes(ctx: PaymentsContext) {
  const find = async (c: Context<SignerEnv>): Promise<RefundRequest> => {
    const request = await ctx.store.getRefundRequest(c.req.param('id') ?? '')
    if (!request) {
      throw new SignerError('refund_request_not_found', 'There is no refund request with that id.')
    }
    return request
  }
  return new Hono<SignerEnv>()
    .get('/refund-requests', async (c) => {
      const query = listQuery.safeParse(c.req.query())
      if (!query.success) {
        throw new SignerError('invalid_request', 'Use ?status=open|approved|declined&limit=1..500.')
      }
      const requests = await ctx.store.listRefundRequests(query.data)
      return c.json({ refundRequests: requests.map(refundRequestView) })
    })
    .post('/refund-requests/:id/approve', async (c) => {
      const request = await approveRefundRequest(forRequest(ctx, c), await find(c), 'merchant')
      const order = await ctx.store.getOrder(request.callerReference)
      return c.json({
        refundRequest: refundRequestView(request),
        ...(order ? { order: orderView(order) } : {}),
      })
    })
    .post('/refund-requests/:id/decline', async (c) => {
      const request = await find(c)
      const body = c.req.header('content-type') ? await readBody(c, declineBody) : {}
      const declined = await declineRefundRequest(forRequest(ctx, c), request, body.note)
      return c.json({ refundRequest: refundRequestView(declined) })
    })
}
