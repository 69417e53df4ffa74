import type { Context } from 'hono'
import type { SignerEnv } from '../env.js'
import type { PaymentsContext } from '../payments/context.js'

/**
 * The payments context for one request: it logs through the request's logger (with its id) and
 * answers within the configured time however long FPS takes.
 */
export function forRequest(ctx: PaymentsContext, c: Context<SignerEnv>): PaymentsContext {
  return { ...ctx, log: c.get('log'), answerBy: Date.now() + ctx.config.answerWithinMs }
}
