import { randomBytes } from 'node:crypto'
import type { Context } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import type { Holder } from '../payments/checkout.js'
import { hashToken } from './tokens.js'

/**
 * The cookie that ties a browser to the allowances it authorized: a random 256-bit secret, of
 * which the store keeps the hash. HttpOnly (no script reads it), SameSite=Strict (no other site's
 * request carries it), scoped to the signer's path. A browser that lost it authorizes anew.
 */
export const HOLDER_COOKIE = 'fps_holder'

/** How long a browser keeps it: the longest a browser lets a cookie live. */
const MAX_AGE_SECONDS = 400 * 24 * 60 * 60

/** A holder secret is 43 base64url characters; anything else is no holder. */
const SECRET = /^[A-Za-z0-9_-]{43}$/

/** The hash of this browser's holder secret, if it shows one. */
export function heldBy(c: Context): string | undefined {
  const secret = getCookie(c, HOLDER_COOKIE)
  return secret !== undefined && SECRET.test(secret) ? hashToken(secret) : undefined
}

/**
 * The request's holder: the browser's own, or a new secret set as its cookie the first time a
 * checkout needs one. `route` is the path this route answers at, so the cookie goes to the
 * signer's paths only, wherever the shop mounts it. The cookie is `Secure` when the request came
 * over https or the shop's return page is on https: behind a proxy that ends TLS, the signer
 * itself is spoken to over http.
 */
export function holderOf(c: Context, route: string, returnUrl: string): Holder {
  let hash = heldBy(c)
  return {
    hash() {
      if (hash !== undefined) return hash
      const secret = randomBytes(32).toString('base64url')
      const url = new URL(c.req.url)
      setCookie(c, HOLDER_COOKIE, secret, {
        httpOnly: true,
        sameSite: 'Strict',
        secure: url.protocol === 'https:' || new URL(returnUrl).protocol === 'https:',
        path: url.pathname.slice(0, url.pathname.length - route.length) || '/',
        maxAge: MAX_AGE_SECONDS,
      })
      hash = hashToken(secret)
      return hash
    },
  }
}
