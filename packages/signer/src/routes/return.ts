import { Hono } from 'hono'
import { z } from 'zod'
import type { SignerEnv } from '../env.js'
import { readBody } from '../http/body.js'
import { hashToken, newAccessToken } from '../http/tokens.js'
import { orderView } from '../http/views.js'
import { type PaymentsContext, timestamp } from '../payments/context.js'
import { handleReturn } from '../payments/returns.js'
import { forRequest } from './context.js'

const returnBody = z.strictObject({ query: z.string().max(16 * 1024) })

/**
 * `POST /return`: the raw query string CBUI appended to the return URL. Answers the order and a
 * fresh access token for status look-ups; only the token's hash is stored.
 */
export function returnRoutes(ctx: PaymentsContext) {
  return new Hono<SignerEnv>().post('/', async (c) => {
    const { query } = await readBody(c, returnBody)
    const order = await handleReturn(forRequest(ctx, c), query)
    const accessToken = newAccessToken()
    await ctx.store.addAccessToken(order.callerReference, hashToken(accessToken), timestamp(ctx))
    return c.json({ order: orderView(order), accessToken })
  })
}
