import type { Logger } from './log.js'

/** The Hono environment of every signer route: the request id and a logger bound to it. */
export interface SignerEnv {
  Variables: {
    requestId: string
    log: Logger
  }
}
