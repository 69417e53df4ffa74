import { parsePeriod } from '../engine/tokens.js'
import { FpsFault } from '../errors.js'
import { newTokenId } from '../ids.js'
import { parseAmount, parsePercent } from '../money.js'
import type { PaymentMethod, Token, UsageLimit } from '../state/model.js'
import type { SandboxState } from '../state/store.js'
import type { CbuiSession } from './sessions.js'

/** The success status of a sender pipeline, by the method the buyer chose. */
const SUCCESS_STATUS: Record<PaymentMethod, string> = { ABT: 'SA', ACH: 'SB', CC: 'SC' }

/** What goes back to the caller's returnURL (before signing). */
export type ReturnParams = Record<string, string>

/** The request minus its signature: a resent pipeline request has the same fingerprint. */
function fingerprintOf(params: Record<string, string>): string {
  return JSON.stringify(
    Object.entries(params)
      .filter(([name]) => name !== 'signature')
      .sort()
  )
}

function usageLimits(params: Record<string, string>): UsageLimit[] {
  const limits: UsageLimit[] = []
  for (const n of ['1', '2']) {
    const type = params[`usageLimitType${n}`]
    const value = params[`usageLimitValue${n}`]
    if ((type !== 'Amount' && type !== 'Count') || value === undefined) continue
    const period = params[`usageLimitPeriod${n}`]
    limits.push({
      type,
      value:
        type === 'Amount' ? parseAmount(value, `usageLimitValue${n}`) : Math.floor(Number(value)),
      ...(period !== undefined && { periodMs: parsePeriod(period) }),
    })
  }
  return limits
}

const optionalAmount = (value: string | undefined, name: string) =>
  value === undefined ? {} : { amount: parseAmount(value, name) }

/** The token a pipeline installs, from its request and the buyer's choices. */
function newToken(session: CbuiSession, buyerId: string, method: PaymentMethod, now: Date): Token {
  const { params, pipeline } = session
  const base: Token = {
    id: newTokenId(),
    type: 'SingleUse',
    pipeline,
    status: 'Active',
    callerAccountId: session.callerAccountId,
    ownerAccountId: buyerId,
    callerReference: params.callerReference ?? '',
    paymentMethod: method,
    dateInstalled: now.toISOString(),
    usageLimits: [],
    fingerprint: fingerprintOf(params),
    ...(params.paymentReason !== undefined && { paymentReason: params.paymentReason }),
    ...(params.validityStart !== undefined && { validityStart: params.validityStart }),
    ...(params.validityExpiry !== undefined && { validityExpiry: params.validityExpiry }),
  }
  switch (pipeline) {
    case 'MultiUse':
      return {
        ...base,
        type: 'MultiUse',
        ...optionalAmount(params.transactionAmount, 'transactionAmount'),
        amountType: (params.amountType as Token['amountType']) ?? 'Exact',
        globalAmountLimit: parseAmount(params.globalAmountLimit ?? '0', 'globalAmountLimit'),
        usageLimits: usageLimits(params),
      }
    case 'Recurring':
      return {
        ...base,
        type: 'Recurring',
        ...optionalAmount(params.transactionAmount, 'transactionAmount'),
        recurringPeriodMs: parsePeriod(params.recurringPeriod ?? ''),
      }
    case 'Recipient':
      return {
        ...base,
        type: 'Unrestricted',
        paymentMethod: 'ABT',
        maxFixedFee: parseAmount(params.maxFixedFee ?? '0', 'maxFixedFee'),
        maxVariableFee: parsePercent(params.maxVariableFee ?? '0', 'maxVariableFee'),
      }
    default:
      return { ...base, ...optionalAmount(params.transactionAmount, 'transactionAmount') }
  }
}

/**
 * Finishes a confirmed pipeline: installs (or, for EditToken, changes) the token and answers the
 * return parameters. A resent request with the same callerReference gets the same token back; a
 * different request reusing it gets NP, as FPS answered.
 */
export function completePipeline(
  state: SandboxState,
  session: CbuiSession,
  now: Date
): ReturnParams {
  const { params, buyerId } = session
  const callerReference = params.callerReference ?? ''
  if (!buyerId) throw new FpsFault('InternalError', 'The CBUI session has no signed-in buyer.')
  const buyer = state.account(buyerId)
  if (session.pipeline === 'EditToken') return editToken(state, session)
  const existing = [...state.tokens.values()].find(
    (token) =>
      token.callerAccountId === session.callerAccountId &&
      token.callerReference === callerReference &&
      token.pipeline === session.pipeline
  )
  if (
    existing &&
    (existing.fingerprint !== fingerprintOf(params) || existing.ownerAccountId !== buyerId)
  ) {
    return {
      status: 'NP',
      errorMessage: 'A token was already installed for this callerReference.',
      callerReference,
    }
  }
  const token = existing ?? newToken(session, buyerId, session.method ?? 'ABT', now)
  state.tokens.set(token.id, token)
  const status = session.pipeline === 'Recipient' ? 'SR' : SUCCESS_STATUS[token.paymentMethod]
  return { status, tokenID: token.id, callerReference, expiry: buyer.cardExpiry }
}

/** EditToken lets the sender change the token's payment method; the same choice answers SU. */
function editToken(state: SandboxState, session: CbuiSession): ReturnParams {
  const token = state.tokens.get(session.params.tokenId ?? '')
  const method = session.method
  const callerReference = session.params.callerReference ?? ''
  if (!token || !method)
    throw new FpsFault('InternalError', 'The EditToken session lost its token.')
  const status = token.paymentMethod === method ? 'SU' : SUCCESS_STATUS[method]
  token.paymentMethod = method
  const buyer = state.account(token.ownerAccountId)
  return { status, tokenID: token.id, callerReference, expiry: buyer.cardExpiry }
}
