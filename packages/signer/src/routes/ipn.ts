import { Hono } from 'hono'
import type { SignerEnv } from '../env.js'
import { readForm } from '../http/body.js'
import type { PaymentsContext } from '../payments/context.js'
import { handleNotification } from '../payments/notifications.js'
import { forRequest } from './context.js'

/**
 * `POST /ipn`: FPS's Instant Payment Notifications. Verified against the configured IPN URL (or
 * the URL the request arrived at); a 200 tells FPS to stop retrying.
 */
export function ipnRoutes(ctx: PaymentsContext) {
  return new Hono<SignerEnv>().post('/', async (c) => {
    const params = await readForm(c)
    const endpoint = ctx.config.ipnUrl ?? c.req.url
    const result = await handleNotification(forRequest(ctx, c), params, endpoint)
    return c.json({ ok: true, result })
  })
}
