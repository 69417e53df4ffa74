import { FpsFault } from '../errors.js'
import type { Token } from '../state/model.js'
import { type ActionContext, requireCaller } from './context.js'

/** CancelToken: only the caller that installed a token may cancel it, and only once. */
export function cancelToken(ctx: ActionContext, tokenId: string, overrideIpnUrl?: string): Token {
  const token = ctx.state.tokens.get(tokenId)
  if (!token || token.callerAccountId !== requireCaller(ctx)) {
    throw new FpsFault(
      'InvalidTokenId',
      `You did not install the token ${tokenId} you are trying to cancel.`
    )
  }
  if (token.status !== 'Active') {
    throw new FpsFault('TokenNotActive_Sender', `Token ${tokenId} is already cancelled.`)
  }
  token.status = 'Inactive'
  ctx.onTokenCancelled(token, overrideIpnUrl ?? ctx.ipnUrl)
  return token
}
