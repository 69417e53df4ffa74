import type { MiddlewareHandler } from 'hono'
import type { SignerEnv } from '../env.js'
import type { Logger } from '../log.js'

/** What the request logger writes through. */
export interface RequestLogOptions {
  logger: Logger
}

/**
 * Binds a logger to the request id (set by `responseHeaders()` before this) so every line written while
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
