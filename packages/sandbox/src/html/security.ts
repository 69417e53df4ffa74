import type { Context, MiddlewareHandler } from 'hono'
import { secureHeaders } from 'hono/secure-headers'
import { STYLE_SOURCE } from './layout.js'

/**
 * What a sandbox page may do: run no script, load only its own inline style (by hash) and images
 * (the caller's co-branding logo may be any http or https URL, as on the CBUI; the favicon is a
 * `data:` URL), post forms only to the sandbox, never be framed.
 */
const POLICY = {
  defaultSrc: ["'none'"],
  styleSrc: [STYLE_SOURCE],
  imgSrc: ['https:', 'http:', 'data:'],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
}

/**
 * The other headers: no framing, no sniffing, no referrer (a CBUI URL carries the caller's
 * request). Left out of hono's defaults: HSTS, since the sandbox usually runs on plain http on a
 * developer's machine and is no judge of its host's other sites; and the opener policy, which would
 * cut a shop's `mode="popup"` window off from the page that opened it.
 */
const HEADERS = {
  xFrameOptions: 'DENY',
  referrerPolicy: 'no-referrer',
  strictTransportSecurity: false,
  crossOriginOpenerPolicy: false,
} as const

/**
 * Every response's security headers, API answers and error pages included; a route that sets
 * its own (a CBUI session's pages) keeps them.
 */
export function securityHeaders(): MiddlewareHandler {
  return secureHeaders({ ...HEADERS, contentSecurityPolicy: POLICY, overwrite: false })
}

/**
 * A CBUI session's pages: their forms answer the last step with a redirect to the caller's
 * returnURL, and Chromium checks that redirect against `form-action` too, so its origin is allowed.
 */
export function sessionSecurityHeaders(returnOrigin: (c: Context) => string): MiddlewareHandler {
  return secureHeaders({
    ...HEADERS,
    contentSecurityPolicy: { ...POLICY, formAction: ["'self'", returnOrigin] },
  })
}
