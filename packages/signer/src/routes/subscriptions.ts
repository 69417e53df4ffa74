import { Hono } from 'hono'
import { z } from 'zod'
import type { SignerEnv } from '../env.js'
import { SignerError } from '../errors.js'
import { SUBSCRIPTION_STATUSES, type SubscriptionsPage } from '../http/contract.js'
import { subscriptionView } from '../http/views.js'
import type { PaymentsContext } from '../payments/context.js'
import { cancelSubscription } from '../payments/subscriptions.js'
import { forRequest } from './context.js'

const listQuery = z.strictObject({
  status: z.enum(SUBSCRIPTION_STATUSES).optional(),
  cursor: z.string().max(128).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
})

/**
 * The merchant's subscriptions (under the admin API): list them newest first, a page at a time,
 * and cancel one, which stops its charges and cancels its token at FPS.
 */
export function subscriptionRoutes(ctx: PaymentsContext) {
  return new Hono<SignerEnv>()
    .get('/subscriptions', async (c) => {
      const query = listQuery.safeParse(c.req.query())
      if (!query.success) {
        throw new SignerError(
          'invalid_request',
          `Use ?status=<${SUBSCRIPTION_STATUSES.join('|')}>&limit=1..500&cursor=<next>.`
        )
      }
      const { status, cursor, limit } = query.data
      const found = await ctx.store.listSubscriptions({ status, before: cursor, limit: limit + 1 })
      const page = found.slice(0, limit)
      const last = page.at(-1)
      return c.json({
        subscriptions: page.map((subscription) => ({
          callerReference: subscription.callerReference,
          ...subscriptionView(subscription),
        })),
        ...(found.length > limit && last ? { next: last.callerReference } : {}),
      } satisfies SubscriptionsPage)
    })
    .post('/subscriptions/:callerReference/cancel', async (c) => {
      const callerReference = c.req.param('callerReference')
      const subscription = await ctx.store.getSubscription(callerReference)
      if (!subscription) {
        throw new SignerError(
          'subscription_not_found',
          'There is no subscription started by that callerReference.'
        )
      }
      const after = await cancelSubscription(
        forRequest(ctx, c),
        subscription,
        'Subscription cancelled by the merchant.'
      )
      return c.json({ subscription: { callerReference, ...subscriptionView(after) } })
    })
}
