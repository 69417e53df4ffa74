import type { SignerConfig } from '../config.js'
import type { Logger } from '../log.js'
import type { Store } from '../store/types.js'
import type { FpsGateway } from './fps.js'

/** What the payment flows share: settings, the store, the way to FPS, a clock and a logger. */
export interface PaymentsContext {
  config: SignerConfig
  store: Store
  fps: FpsGateway
  now: () => Date
  log: Logger
  /**
   * Set on a request's context: how long a money-moving send may hold the request before it is
   * answered with the operation as it stands, the send going on behind it. The sweep has none.
   */
  answerWithinMs?: number
}

/** The current time as stored: ISO 8601, fixed width, so text order is time order. */
export function timestamp(ctx: Pick<PaymentsContext, 'now'>, offsetMs = 0): string {
  return new Date(ctx.now().getTime() + offsetMs).toISOString()
}
