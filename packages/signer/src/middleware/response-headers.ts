import type { MiddlewareHandler } from 'hono'
import type { SignerEnv } from '../env.js'
import { originAllowed } from './origin-guard.js'

/**
 * What `hono/secure-headers` sets by default, and `Vary: Origin` because the CORS headers depend
 * on the request's origin.
 */
const SECURITY_HEADERS: readonly (readonly [string, string])[] = [
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Origin-Agent-Cluster', '?1'],
  ['Referrer-Policy', 'no-referrer'],
  ['Strict-Transport-Security', 'max-age=15552000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-DNS-Prefetch-Control', 'off'],
  ['X-Download-Options', 'noopen'],
  ['X-Frame-Options', 'SAMEORIGIN'],
  ['X-Permitted-Cross-Domain-Policies', 'none'],
  ['X-XSS-Protection', '0'],
  ['Vary', 'Origin'],
]

/** Response headers a browser script on an allowed origin may read. */
const EXPOSED_HEADERS = 'Retry-After, X-Request-Id'

/** The browser origins whose scripts may read the signer's answers. */
export interface ResponseHeadersOptions {
  allowedOrigins: readonly string[]
}

/**
 * Gives every answer the security headers and, for an allowed origin, the CORS headers. They are
 * set before the route runs, so they are part of the answer it builds: changing an answer's
 * headers afterwards makes Hono and the Node adapter copy the whole answer.
 * Preflight requests are answered by `hono/cors` (see `app.ts`).
 */
export const responseHeaders = ({
  allowedOrigins,
}: ResponseHeadersOptions): MiddlewareHandler<SignerEnv> => {
  return async function responseHeaders(c, next) {
    for (const [name, value] of SECURITY_HEADERS) c.header(name, value)
    if (originAllowed(c, allowedOrigins)) {
      c.header('Access-Control-Allow-Origin', c.req.header('origin'))
      c.header('Access-Control-Expose-Headers', EXPOSED_HEADERS)
    }
    await next()
  }
}
