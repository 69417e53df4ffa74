import type { MiddlewareHandler } from 'hono'
import { SignerError } from '../errors.js'

/** The browser origins allowed to call the signer. */
export interface OriginGuardOptions {
  allowedOrigins: readonly string[]
}

/**
 * Refuses browser requests from origins the merchant did not list, so another site cannot start
 * checkouts or read orders in its visitors' name. Requests without an `Origin` (FPS's IPN,
 * server-to-server calls) and same-origin requests pass.
 */
export const originGuard = ({ allowedOrigins }: OriginGuardOptions): MiddlewareHandler => {
  return async function originGuard(c, next) {
    const origin = c.req.header('origin')
    if (origin !== undefined && !isAllowedOrigin(origin, allowedOrigins, c.req.url)) {
      throw new SignerError(
        'origin_not_allowed',
        'This origin is not allowed to call the signer; add it to FPS_ALLOWED_ORIGINS.'
      )
    }
    await next()
  }
}

/** True for listed origins and for the signer's own origin. */
export function isAllowedOrigin(
  origin: string,
  allowed: readonly string[],
  requestUrl: string
): boolean {
  return allowed.includes(origin) || origin === new URL(requestUrl).origin
}
