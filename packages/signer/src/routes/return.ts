import { Hono } from 'hono'
import { z } from 'zod'
import type { SignerEnv } from '../env.js'
import { readBody } from '../http/body.js'
import type { ReturnResponse } from '../http/contract.js'
import { hashToken, orderAccessToken } from '../http/tokens.js'
import { orderView } from '../http/views.js'
import { type PaymentsContext, timestamp } from '../payments/context.js'
import { handleReturn } from '../payments/returns.js'
import { forRequest } from './context.js'

const returnBody = z.strictObject({ query: z.string().max(16 * 1024) })

/**
 * `POST /return`: the raw query string CBUI appended to the return URL. A return bound to its
 * order answers the order and the order's access token for status look-ups (only its hash is
 * stored); an abort or error return answers only what the buyer did, and no token.
 */
export function returnRoutes(ctx: PaymentsContext) {
  return new Hono<SignerEnv>().post('/', async (c) => {
    const { query } = await readBody(c, returnBody)
    const result = await handleReturn(forRequest(ctx, c), query)
    if (!('order' in result)) {
      const { code, outcome, description } = result.returned
      return c.json({
        returned: { status: code, outcome, message: description },
      } satisfies ReturnResponse)
    }
    const { order } = result
    const accessToken = orderAccessToken(ctx.config.keys[0].secretKey, order.callerReference)
    await ctx.store.addAccessToken(order.callerReference, hashToken(accessToken), timestamp(ctx))
    return c.json({ order: orderView(order), accessToken } satisfies ReturnResponse)
  })
}
