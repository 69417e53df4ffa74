import type { Context, MiddlewareHandler } from 'hono'
import { SignerError } from '../errors.js'

/** How many requests (or failures) one client may make per window. */
export interface RateLimitOptions {
  limit: number
  windowMs: number
  /** Identifies the client; the remote address by default. */
  key: (c: Context) => string
  /** What is counted, for the 429's message: "Too many checkouts". */
  counts: string
  now?: () => number
}

/** One client's window: when it started and how much it has used. */
interface Window {
  start: number
  count: number
}

/**
 * Fixed-window counters per client, in process memory: enough to stop one browser or script.
 * Several signer processes each count on their own.
 */
function fixedWindows({ limit, windowMs, counts, now = Date.now }: Omit<RateLimitOptions, 'key'>) {
  const windows = new Map<string, Window>()
  return {
    /** The client's current window, started afresh once the last one has passed. */
    of(client: string): Window {
      const at = now()
      if (windows.size > 10_000) {
        for (const [other, window] of windows)
          if (at - window.start >= windowMs) windows.delete(other)
      }
      let window = windows.get(client)
      if (!window || at - window.start >= windowMs) {
        window = { start: at, count: 0 }
        windows.set(client, window)
      }
      return window
    },
    /** Throws 429 `rate_limited`, with the seconds left in the window, once it is over `limit`. */
    check(window: Window, used: number): void {
      if (used <= limit) return
      const retryAfter = Math.max(1, Math.ceil((window.start + windowMs - now()) / 1000))
      throw new SignerError('rate_limited', `Too many ${counts}; try again in ${retryAfter} s.`, {
        retryAfter,
      })
    },
  }
}

/** Lets each client make `limit` requests per window; the next ones get 429 `rate_limited`. */
export const rateLimit = ({ key, ...options }: RateLimitOptions): MiddlewareHandler => {
  const windows = fixedWindows(options)
  return async function rateLimit(c, next) {
    const window = windows.of(key(c))
    window.count += 1
    windows.check(window, window.count)
    await next()
  }
}

/** A failure limit: what the request was answered with decides whether it counts. */
export interface FailureLimitOptions extends RateLimitOptions {
  failed: (c: Context) => boolean
}

/**
 * Lets each client fail `limit` times per window (a wrong token, say); after that every request
 * of the client gets 429 `rate_limited` until the window ends, right or wrong, so a guesser learns
 * nothing from its next guesses. A request holds its place while in flight and gives it back if it
 * did not fail, so guesses sent all at once count too, and successes never do.
 */
export const failureLimit = ({
  key,
  failed,
  ...options
}: FailureLimitOptions): MiddlewareHandler => {
  const windows = fixedWindows(options)
  return async function failureLimit(c, next) {
    const window = windows.of(key(c))
    windows.check(window, window.count + 1)
    window.count += 1
    try {
      await next()
    } finally {
      if (!failed(c)) window.count -= 1
    }
  }
}
