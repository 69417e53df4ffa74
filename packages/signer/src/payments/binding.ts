import { FpsError } from '@fps-checkout/protocol'
import { SignerError } from '../errors.js'
import type { Order } from '../store/types.js'
import { LATE, orLate, type PaymentsContext } from './context.js'

/**
 * Why a message FPS signed was not taken as a fact about this merchant's money. FPS signs every
 * caller's returns and IPNs with one certificate, and any caller picks its own CallerReference,
 * returnURL and OverrideIPNURL, so a verified message still has to be bound to our own records.
 */
export type UnboundReason =
  | 'token_not_installed_for_caller'
  | 'token_for_another_order'
  | 'token_inactive'
  | 'token_changed'
  | 'transaction_unknown'
  | 'operation_mismatch'
  | 'amount_mismatch'

/**
 * Binds a return's token to its order: the token the order already holds, or, for an order that
 * holds none yet, one FPS confirms was installed by this caller for it (see {@link confirmToken}).
 */
export async function bindToken(
  ctx: PaymentsContext,
  order: Order,
  tokenId: string
): Promise<void> {
  if (order.tokenId === undefined) await confirmToken(ctx, order, tokenId)
  else holdsToken(ctx, order, tokenId)
}

/** Refuses a return whose token is not the one its order holds: one order charges one token. */
export function holdsToken(ctx: PaymentsContext, order: Order, tokenId: string): void {
  if (order.tokenId !== undefined && order.tokenId !== tokenId) {
    throw unbound(ctx, 'token_changed', order.callerReference, { tokenId })
  }
}

/** How FPS answers `GetTokenByCaller` for a token this caller did not install. */
const NOT_OURS = new Set(['InvalidTokenId', 'InvalidParams', 'TokenNotActive_Sender'])

/**
 * Confirms under the merchant's own key (`GetTokenByCaller`) that a return's token was installed
 * by this caller for this very order, before anything is charged with it. A return another caller
 * produced with our callerReference carries that caller's token, which FPS will not show us.
 */
async function confirmToken(ctx: PaymentsContext, order: Order, tokenId: string): Promise<void> {
  let tokens: { TokenId: string; TokenStatus: string; CallerReference: string }[]
  try {
    const asked = ctx.fps.call('GetTokenByCaller', { TokenId: tokenId })
    const answer = await orLate(ctx, asked)
    if (answer === LATE) {
      asked.catch(() => undefined)
      throw new SignerError('upstream_error', 'FPS did not confirm the token in time; try again.', {
        retriable: true,
      })
    }
    tokens = answer.Token ?? []
  } catch (error) {
    if (error instanceof FpsError && NOT_OURS.has(error.code)) {
      throw unbound(ctx, 'token_not_installed_for_caller', order.callerReference, { tokenId })
    }
    throw error
  }
  const token = tokens.find((candidate) => candidate.TokenId === tokenId)
  if (!token)
    throw unbound(ctx, 'token_not_installed_for_caller', order.callerReference, { tokenId })
  if (token.CallerReference !== order.callerReference) {
    throw unbound(ctx, 'token_for_another_order', order.callerReference, { tokenId })
  }
  if (token.TokenStatus !== 'Active') {
    throw unbound(ctx, 'token_inactive', order.callerReference, { tokenId })
  }
}

/** A return that cannot move the order: refused, logged at warn with its stable reason. */
function unbound(
  ctx: PaymentsContext,
  reason: UnboundReason,
  callerReference: string,
  facts: Record<string, string | undefined> = {}
): SignerError {
  ctx.log.warn('return not bound to this caller', { reason, callerReference, ...facts })
  return new SignerError(
    'return_not_bound',
    'FPS did not confirm this return for this shop; the order is unchanged.'
  )
}
