import { Hono } from 'hono'
import { z } from 'zod'
import type { SignerEnv } from '../env.js'
import { SignerError } from '../errors.js'
import { accountActivity, accountBalance, rangeTime } from '../payments/account.js'
import type { PaymentsContext } from '../payments/context.js'

const activityQuery = z.strictObject({
  from: rangeTime,
  to: rangeTime.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(256).optional(),
})

/**
 * `GET /account` and `GET /activity`: the merchant's FPS account as FPS itself reports it, under
 * the signer's key; mounted behind the admin token.
 */
export function accountRoutes(ctx: PaymentsContext) {
  return new Hono<SignerEnv>()
    .get('/account', async (c) => c.json({ account: await accountBalance(ctx) }))
    .get('/activity', async (c) => {
      const query = activityQuery.safeParse(c.req.query())
      if (!query.success) {
        throw new SignerError(
          'invalid_request',
          'Use ?from=<ISO 8601 date or time>&to=…&limit=1..100&cursor=<next of the page before>.'
        )
      }
      return c.json(await accountActivity(ctx, query.data))
    })
}
