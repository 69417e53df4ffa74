import type { MiddlewareHandler } from 'hono'
import { requestId } from 'hono/request-id'
import type { SignerEnv } from '../env.js'
import type { Logger } from '../log.js'

/**
 * Gives every request an id of the signer's own (a UUID from `hono/request-id`), answered as
 * `X-Request-Id`. A client's `X-Request-Id` is never taken (no id fits a length limit of 0), so a
 * caller can neither write into the log through it nor make its lines pass for another request's.
 */
export const requestIds = (): MiddlewareHandler => requestId({ limitLength: 0 })

/** What the request logger writes through. */
export interface RequestLogOptions {
  logger: Logger
}

/**
 * Binds a logger to the request id (set by `requestIds()` before this) so every line written while
 * handling the request carries it, then logs the outcome once.
 */
export const requestLog = ({ logger }: RequestLogOptions): MiddlewareHandler<SignerEnv> => {
  return async function requestLog(c, next) {
    const log = logger.child({ requestId: c.get('requestId') })
    c.set('log', log)
    const started = performance.now()
    await next()
    log.info('request', {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round(performance.now() - started),
    })
  }
}
