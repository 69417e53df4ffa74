import {
  describeReturnStatus,
  InvalidParameterError,
  parseReturn,
  type ReturnParams,
} from '@fps-checkout/protocol'
import { SignerError } from '../errors.js'
import { parseForm } from '../http/body.js'
import type { Order } from '../store/types.js'
import { charge } from './charge.js'
import { type PaymentsContext, timestamp } from './context.js'

/**
 * Handles the buyer's return from CBUI: verifies FPS's signature over every parameter against
 * the configured return URL, records the outcome, and charges an authorized order exactly once.
 * A repeated return verifies again and answers the stored outcome (resuming an unfinished Pay).
 */
export async function handleReturn(ctx: PaymentsContext, query: string): Promise<Order> {
  const params = readQuery(query)
  let parsed: ReturnParams
  try {
    parsed = parseReturn(params)
  } catch (error) {
    if (error instanceof InvalidParameterError) throw invalidReturn(error.message)
    throw error
  }
  if (!parsed.callerReference) throw invalidReturn('callerReference is missing.')
  await ctx.fps.verifier.verify({ method: 'GET', endpoint: ctx.config.returnUrl, params })
  const found = await ctx.store.getOrder(parsed.callerReference)
  if (!found)
    throw new SignerError('order_not_found', 'There is no order with that callerReference.')
  const status = describeReturnStatus(parsed.status)
  // SR and SU also mean success, but for recipient and edit pipelines: a purchase needs a sender token.
  if (status.outcome !== 'success' || !status.paymentMethod) {
    const detail = parsed.errorMessage ? ` ${parsed.errorMessage}` : ''
    const moved = await ctx.store.transition(found.callerReference, {
      from: ['created'],
      to: status.outcome === 'abandoned' ? 'cancelled' : 'failure',
      note: `Return ${status.code}: ${status.description}${detail}`,
      at: timestamp(ctx),
    })
    return moved ?? (await current(ctx, found))
  }
  if (!parsed.tokenID) throw invalidReturn('tokenID is missing from a successful return.')
  const authorized = await ctx.store.transition(found.callerReference, {
    from: ['created'],
    to: 'pending',
    note: `Return ${status.code}: ${status.description}`,
    at: timestamp(ctx),
    set: { tokenId: parsed.tokenID },
  })
  const order = authorized ?? (await current(ctx, found))
  return order.status === 'pending' ? charge(ctx, order) : order
}

/** The order as it stands now: a transition that did not apply means another request moved it. */
async function current(ctx: PaymentsContext, order: Order): Promise<Order> {
  return (await ctx.store.getOrder(order.callerReference)) ?? order
}

function readQuery(query: string): Record<string, string> {
  try {
    return parseForm(query.replace(/^\?/, ''))
  } catch (error) {
    throw invalidReturn((error as Error).message)
  }
}

function invalidReturn(message: string): SignerError {
  return new SignerError('invalid_return', `The return parameters are not usable: ${message}`)
}
