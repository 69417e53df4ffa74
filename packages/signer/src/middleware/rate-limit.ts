import type { Context, MiddlewareHandler } from 'hono'
import { SignerError } from '../errors.js'

/** How many requests one client may make per window. */
export interface RateLimitOptions {
  limit: number
  windowMs: number
  /** Identifies the client; the remote address by default. */
  key: (c: Context) => string
  now?: () => number
}

/**
 * A fixed-window counter per client, in process memory: enough to stop one browser or script from
 * minting thousands of orders. Several signer processes each count on their own.
 */
export const rateLimit = ({
  limit,
  windowMs,
  key,
  now = Date.now,
}: RateLimitOptions): MiddlewareHandler => {
  const windows = new Map<string, { start: number; count: number }>()
  return async function rateLimit(c, next) {
    const at = now()
    if (windows.size > 10_000) {
      for (const [client, window] of windows)
        if (at - window.start >= windowMs) windows.delete(client)
    }
    const client = key(c)
    let window = windows.get(client)
    if (!window || at - window.start >= windowMs) {
      window = { start: at, count: 0 }
      windows.set(client, window)
    }
    window.count += 1
    if (window.count > limit) {
      const retryAfter = Math.max(1, Math.ceil((window.start + windowMs - at) / 1000))
      throw new SignerError('rate_limited', `Too many checkouts; try again in ${retryAfter} s.`, {
        retryAfter,
      })
    }
    await next()
  }
}
