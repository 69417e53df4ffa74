import type { Signer } from '@fps-checkout/signer'
import { type Context, Hono } from 'hono'
import { type DeliveryContext, deliveryOf, type OrderView } from './delivery.js'

/**
 * The JSON behind the shop's pages: the signer's orders, each with its delivery. The signer
 * judges the bearer token (the order's access token, or the admin token for the list), so the
 * shop holds no token of its own; a refusal is the signer's answer, passed on.
 */
export function apiRoutes(signer: Signer['app'], ctx: DeliveryContext) {
  // the node server's bindings go along, so the signer counts failures by the buyer's address
  const ask = async (c: Context, path: string) => {
    const authorization = c.req.header('authorization')
    return signer.request(path, { headers: authorization ? { authorization } : {} }, c.env)
  }
  return new Hono()
    .get('/orders', async (c) => {
      const answer = await ask(c, `/admin/orders${new URL(c.req.url).search}`)
      if (!answer.ok) return answer
      const { orders } = (await answer.json()) as { orders: OrderView[] }
      return c.json({
        orders: orders.map((order) => ({ ...order, delivery: deliveryOf(ctx, order) })),
      })
    })
    .get('/orders/:callerReference', async (c) => {
      const reference = encodeURIComponent(c.req.param('callerReference'))
      const answer = await ask(c, `/orders/${reference}`)
      if (!answer.ok) return answer
      const { order } = (await answer.json()) as { order: OrderView }
      return c.json({ order, delivery: deliveryOf(ctx, order) })
    })
}
