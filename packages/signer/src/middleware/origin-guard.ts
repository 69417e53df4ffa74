import type { Context, MiddlewareHandler } from 'hono'
import type { SignerEnv } from '../env.js'
import { SignerError } from '../errors.js'

/** The browser origins allowed to call the signer. */
export interface OriginGuardOptions {
  allowedOrigins: readonly string[]
}

/**
 * Refuses browser requests from origins not in `allowedOrigins` (the config's `trustedOrigins`),
 * so another site cannot start checkouts or read orders in its visitors' name. Requests without
 * an `Origin` (FPS's IPN, server-to-server calls) pass.
 */
export const originGuard = ({
  allowedOrigins,
}: OriginGuardOptions): MiddlewareHandler<SignerEnv> => {
  return async function originGuard(c, next) {
    if (originAllowed(c, allowedOrigins) === false) {
      throw new SignerError(
        'origin_not_allowed',
        'This origin is not allowed to call the signer; add it to FPS_ALLOWED_ORIGINS.'
      )
    }
    await next()
  }
}

/**
 * Whether the request's `Origin` is allowed; undefined when it sends none. Judged once per request
 * and kept on the context, since the response headers, the preflight and the guard all ask.
 */
export function originAllowed(
  c: Context<SignerEnv>,
  allowed: readonly string[]
): boolean | undefined {
  const origin = c.req.header('origin')
  if (origin === undefined) return undefined
  let verdict = c.get('originAllowed')
  if (verdict === undefined) {
    verdict = allowed.includes(origin)
    c.set('originAllowed', verdict)
  }
  return verdict
}
