import {
  describeReturnStatus,
  InvalidParameterError,
  parseReturn,
  type ReturnParams,
  type ReturnStatus,
} from '@fps-checkout/protocol'
import { SignerError } from '../errors.js'
import { parseForm } from '../http/body.js'
import type { Order } from '../store/types.js'
import { chargeAuthorized } from './authorized.js'
import { bindToken, holdsToken } from './binding.js'
import { type PaymentsContext, timestamp } from './context.js'

/**
 * What a return told: the order, when the return authorized a payment bound to it; otherwise
 * only what the buyer did on the payment pages, which is for the buyer's eyes and moves nothing.
 */
export type ReturnResult = { order: Order } | { returned: ReturnStatus }

/**
 * Handles the buyer's return from CBUI: verifies FPS's signature over every parameter against
 * the configured return URL, confirms under the merchant's key that the token was installed by
 * this caller for this order, and charges it exactly once. A repeated return verifies again and
 * answers the stored outcome (resuming an unfinished Pay). An abort or error return changes
 * nothing: the order stays open until FPS confirms an outcome or the sweep expires it.
 */
export async function handleReturn(ctx: PaymentsContext, query: string): Promise<ReturnResult> {
  const params = readQuery(query)
  const parsed = readReturn(params)
  await ctx.fps.verifier.verify({ method: 'GET', endpoint: ctx.config.returnUrl, params })
  const found = await ctx.store.getOrder(parsed.callerReference)
  if (!found)
    throw new SignerError('order_not_found', 'There is no order with that callerReference.')
  const status = describeReturnStatus(parsed.status)
  // SR and SU also mean success, but for recipient and edit pipelines: a purchase needs a sender token.
  if (status.outcome !== 'success' || !status.paymentMethod) {
    ctx.log.info('the buyer came back without authorizing', {
      callerReference: found.callerReference,
      status: status.code,
    })
    return { returned: status }
  }
  if (!parsed.tokenID) throw invalidReturn('tokenID is missing from a successful return.')
  await bindToken(ctx, found, parsed.tokenID)
  const order = await authorize(ctx, found, parsed.tokenID, status)
  return { order: order.status === 'pending' ? await chargeAuthorized(ctx, order) : order }
}

/**
 * Records the buyer's authorization (created → pending, with the token) once, and answers the
 * order as it then stands, which must hold this return's token: a racing return with another
 * token may have authorized it first.
 */
async function authorize(
  ctx: PaymentsContext,
  found: Order,
  tokenId: string,
  status: ReturnStatus
): Promise<Order> {
  const authorized =
    found.status === 'created'
      ? await ctx.store.transition(found.callerReference, {
          from: ['created'],
          to: 'pending',
          note: `Return ${status.code}: ${status.description} Token confirmed with GetTokenByCaller.`,
          at: timestamp(ctx),
          set: { tokenId },
        })
      : undefined
  const order = authorized ?? (await ctx.store.getOrder(found.callerReference)) ?? found
  holdsToken(ctx, order, tokenId)
  return order
}

function readQuery(query: string): Record<string, string> {
  try {
    return parseForm(query.replace(/^\?/, ''))
  } catch (error) {
    throw invalidReturn((error as Error).message)
  }
}

function readReturn(params: Record<string, string>): ReturnParams & { callerReference: string } {
  let parsed: ReturnParams
  try {
    parsed = parseReturn(params)
  } catch (error) {
    if (error instanceof InvalidParameterError) throw invalidReturn(error.message)
    throw error
  }
  const { callerReference } = parsed
  if (!callerReference) throw invalidReturn('callerReference is missing.')
  return { ...parsed, callerReference }
}

function invalidReturn(message: string): SignerError {
  return new SignerError('invalid_return', `The return parameters are not usable: ${message}`)
}
