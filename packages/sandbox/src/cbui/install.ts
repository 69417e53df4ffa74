import { FpsFault } from '../errors.js'
import type { SandboxState } from '../state/store.js'
import { fingerprintOf, install, type ReturnParams, SUCCESS_STATUS } from './pipeline-tokens.js'
import type { CbuiSession } from './sessions.js'

/**
 * Finishes a confirmed pipeline: installs its tokens (or, for EditToken, changes one) and answers
 * the return parameters. A resent request with the same callerReference gets the same answer; a
 * different request reusing it gets NP, as FPS answered.
 */
export function completePipeline(
  state: SandboxState,
  session: CbuiSession,
  now: Date
): ReturnParams {
  const { params, buyerId } = session
  if (!buyerId) throw new FpsFault('InternalError', 'The CBUI session has no signed-in buyer.')
  if (session.pipeline === 'EditToken') return editToken(state, session)
  const callerReference = params.callerReference ?? params.callerReferenceSender ?? ''
  const existing = [...state.tokens.values()].find(
    (token) =>
      token.callerAccountId === session.callerAccountId &&
      token.callerReference === callerReference &&
      token.pipeline === session.pipeline &&
      token.installedReturn !== undefined
  )
  if (existing?.installedReturn) {
    if (existing.fingerprint === fingerprintOf(params) && existing.ownerAccountId === buyerId)
      return existing.installedReturn
    return {
      status: 'NP',
      errorMessage: 'A token was already installed for this callerReference.',
      callerReference,
    }
  }
  const { tokens, instrument, returnParams } = install(
    session,
    state.account(buyerId),
    session.method ?? 'ABT',
    now
  )
  tokens[0].installedReturn = returnParams
  for (const token of tokens) state.tokens.set(token.id, token)
  if (instrument)
    state.instruments.set(instrument.id, {
      ...instrument,
      tokenIds: tokens.map((token) => token.id),
    })
  return returnParams
}

/** EditToken lets the sender change the token's payment method; the same choice answers SU. */
function editToken(state: SandboxState, session: CbuiSession): ReturnParams {
  const token = state.tokens.get(session.params.tokenId ?? '')
  const method = session.method
  if (!token || !method)
    throw new FpsFault('InternalError', 'The EditToken session lost its token.')
  const status = token.paymentMethod === method ? 'SU' : SUCCESS_STATUS[method]
  token.paymentMethod = method
  const buyer = state.account(token.ownerAccountId)
  return {
    status,
    tokenID: token.id,
    callerReference: session.params.callerReference ?? '',
    expiry: buyer.cardExpiry,
  }
}
