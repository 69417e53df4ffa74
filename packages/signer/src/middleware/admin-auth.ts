import type { MiddlewareHandler } from 'hono'
import { SignerError } from '../errors.js'
import { bearerToken, safeEqual } from '../http/tokens.js'

/** The admin token; without one the admin API is closed. */
export interface AdminAuthOptions {
  adminToken: string | undefined
}

/** Admits `Authorization: Bearer <FPS_ADMIN_TOKEN>`, compared in constant time. */
export const adminAuth = ({ adminToken }: AdminAuthOptions): MiddlewareHandler => {
  return async function adminAuth(c, next) {
    if (!isAdminToken(bearerToken(c.req.header('authorization')), adminToken)) {
      throw new SignerError(
        'unauthorized',
        'The admin API needs Authorization: Bearer <FPS_ADMIN_TOKEN>.'
      )
    }
    await next()
  }
}

/** True when `token` is the configured admin token. */
export function isAdminToken(token: string | undefined, adminToken: string | undefined): boolean {
  return token !== undefined && adminToken !== undefined && safeEqual(token, adminToken)
}
