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
   * Set on a request's context: when (epoch ms) the request is answered however long FPS takes;
   * a money-moving send goes on behind the answer. The sweep has none: it waits for FPS.
   */
  answerBy?: number
}

/** Said by {@link orLate} when the deadline came first. */
export const LATE = Symbol('late')

/** The work's value, or {@link LATE} once the request's deadline has passed; the work goes on. */
export async function orLate<T>(
  ctx: Pick<PaymentsContext, 'answerBy'>,
  work: Promise<T>
): Promise<T | typeof LATE> {
  if (ctx.answerBy === undefined) return work
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<typeof LATE>((resolve) => {
    timer = setTimeout(() => resolve(LATE), Math.max(0, (ctx.answerBy ?? 0) - Date.now()))
  })
  try {
    return await Promise.race([work, late])
  } finally {
    clearTimeout(timer)
  }
}

/** The current time as stored: ISO 8601, fixed width, so text order is time order. */
export function timestamp(ctx: Pick<PaymentsContext, 'now'>, offsetMs = 0): string {
  return new Date(ctx.now().getTime() + offsetMs).toISOString()
}
