import { Hono } from 'hono'
import { z } from 'zod'
import type { SignerEnv } from '../env.js'
import { SignerError } from '../errors.js'
import { isFormPost, readBody, text } from '../http/body.js'
import { holderOf } from '../http/holder.js'
import { startCheckout } from '../payments/checkout.js'
import type { PaymentsContext } from '../payments/context.js'
import { forRequest } from './context.js'

const checkoutBody = z.strictObject({
  amount: z.string().max(32),
  currencyCode: z.enum(['USD']).default('USD'),
  reason: text(500),
  logo: z.string().max(2048).optional(),
  item: text(128).optional(),
})

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/

/** `POST /checkout`: a priced order and its signed CBUI URL (JSON, or a 303 for a plain form). */
export function checkoutRoutes(ctx: PaymentsContext) {
  return new Hono<SignerEnv>().post('/', async (c) => {
    const key = c.req.header('idempotency-key')
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
      throw new SignerError(
        'invalid_request',
        'Idempotency-Key must be 1–255 visible ASCII characters.'
      )
    }
    const body = await readBody(c, checkoutBody, { forms: true })
    const answer = await startCheckout(
      forRequest(ctx, c),
      body,
      key,
      holderOf(c, '/checkout', ctx.config.returnUrl)
    )
    return isFormPost(c) ? c.redirect(answer.url, 303) : c.json(answer)
  })
}
