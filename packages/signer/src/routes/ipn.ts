import { Hono } from 'hono'
import type { SignerEnv } from '../env.js'
import { SignerError } from '../errors.js'
import { readForm } from '../http/body.js'
import type { PaymentsContext } from '../payments/context.js'
import { handleNotification } from '../payments/notifications.js'
import { forRequest } from './context.js'

/**
 * `POST /ipn`: FPS's Instant Payment Notifications, verified against the configured IPN URL; a
 * 200 tells FPS to stop retrying. Without one, the URL the request arrived at stands in only on
 * an origin the settings name: its host comes from the request, which anyone may write.
 */
export function ipnRoutes(ctx: PaymentsContext) {
  return new Hono<SignerEnv>().post('/', async (c) => {
    const params = await readForm(c)
    const endpoint = ctx.config.ipnUrl ?? c.req.url
    if (!ctx.config.trustedOrigins.includes(new URL(endpoint).origin)) {
      throw new SignerError(
        'signature_invalid',
        'Notifications are verified against FPS_IPN_URL; set it to the URL FPS posts to.'
      )
    }
    const result = await handleNotification(forRequest(ctx, c), params, endpoint)
    return c.json({ ok: true, result })
  })
}
