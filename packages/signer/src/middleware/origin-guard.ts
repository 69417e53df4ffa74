import type { Context, MiddlewareHandler } from 'hono'
import { ENVIRONMENT } from '../config.js'
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
        `This origin is not allowed to call the signer; add it to ${ENVIRONMENT.allowedOrigins}.`
      )
    }
    await next()
  }
}

/**
 * The preflight's `Access-Control-Allow-Origin`: the origin when it is allowed, and none when it
 * is not, so the browser blocks the request. A browser shows its developer nothing but a CORS
 * failure then, so a refused origin is logged at warn with the setting that admits it.
 */
export const preflightOrigin =
  (allowedOrigins: readonly string[]) =>
  (origin: string, c: Context<SignerEnv>): string | null => {
    const allowed = originAllowed(c, allowedOrigins)
    if (allowed === false) {
      c.get('log').warn(
        `origin not allowed: add it to ${ENVIRONMENT.allowedOrigins} if its pages may call the signer`,
        { origin, setting: ENVIRONMENT.allowedOrigins }
      )
    }
    return allowed ? origin : null
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
