import type { Logger } from './log.js'

/**
 * The Hono environment of every signer route: the request id, a logger bound to it, and the
 * verdict on the request's origin.
 */
export interface SignerEnv {
  Variables: {
    requestId: string
    log: Logger
    /** Whether the request's `Origin` is allowed, judged once (see `originAllowed`). */
    originAllowed: boolean
  }
}
