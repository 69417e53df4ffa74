import { parsePeriod } from '../engine/tokens.js'
import { FpsFault } from '../errors.js'
import { newTokenId } from '../ids.js'
import { parseAmount, parsePercent } from '../money.js'
import type { Account, Instrument, PaymentMethod, Token, UsageLimit } from '../state/model.js'
import type { CbuiSession } from './sessions.js'

/** The success status of a sender pipeline, by the method the buyer chose. */
export const SUCCESS_STATUS: Record<PaymentMethod, string> = { ABT: 'SA', ACH: 'SB', CC: 'SC' }

/** What goes back to the caller's returnURL (before signing). */
export type ReturnParams = Record<string, string>

/** What a confirmed pipeline installs; the first token is the one its callerReference names. */
interface Installation {
  tokens: [Token, ...Token[]]
  instrument?: Instrument
  returnParams: ReturnParams
}

/** The request minus its signature: a resent pipeline request has the same fingerprint. */
export function fingerprintOf(params: Record<string, string>): string {
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

const money = (value: string | undefined, name: string) => parseAmount(value ?? '0', name)
const optionalAmount = (value: string | undefined, name: string) =>
  value === undefined ? {} : { amount: parseAmount(value, name) }

/** The fields every token of a session shares; pipelines add their limits. */
function baseToken(session: CbuiSession, buyer: Account, method: PaymentMethod, now: Date): Token {
  const { params, pipeline } = session
  return {
    id: newTokenId(),
    type: 'MultiUse',
    pipeline,
    status: 'Active',
    callerAccountId: session.callerAccountId,
    ownerAccountId: buyer.id,
    callerReference: params.callerReference ?? params.callerReferenceSender ?? '',
    paymentMethod: method,
    dateInstalled: now.toISOString(),
    usageLimits: [],
    fingerprint: fingerprintOf(params),
    ...(params.paymentReason !== undefined && { paymentReason: params.paymentReason }),
    ...(params.validityStart !== undefined && { validityStart: params.validityStart }),
    ...(params.validityExpiry !== undefined && { validityExpiry: params.validityExpiry }),
  }
}

/** A prepaid instrument or credit line with the two tokens its pipeline installs around it. */
function withInstrument(
  session: CbuiSession,
  base: Token,
  kind: Instrument['kind'],
  limit: string,
  limitName: string
) {
  const instrument: Instrument = {
    id: newTokenId(),
    kind,
    callerAccountId: session.callerAccountId,
    ownerAccountId: base.ownerAccountId,
    limit: money(limit, limitName),
    tokenIds: [],
  }
  const token = (fields: Partial<Token>): Token => ({
    ...base,
    id: newTokenId(),
    instrumentId: instrument.id,
    ...fields,
  })
  return { instrument, token }
}

/** The tokens (and instrument) each pipeline installs, and the return parameters naming them. */
export function install(
  session: CbuiSession,
  buyer: Account,
  method: PaymentMethod,
  now: Date
): Installation {
  const { params } = session
  const base = baseToken(session, buyer, method, now)
  const single = (token: Token, status = SUCCESS_STATUS[method]): Installation => ({
    tokens: [token],
    returnParams: {
      status,
      tokenID: token.id,
      callerReference: token.callerReference,
      expiry: buyer.cardExpiry,
    },
  })
  switch (session.pipeline) {
    case 'SingleUse':
      return single({
        ...base,
        type: 'SingleUse',
        ...optionalAmount(params.transactionAmount, 'transactionAmount'),
      })
    case 'MultiUse':
      return single({
        ...base,
        ...optionalAmount(params.transactionAmount, 'transactionAmount'),
        amountType: (params.amountType as Token['amountType']) ?? 'Exact',
        globalAmountLimit: money(params.globalAmountLimit, 'globalAmountLimit'),
        usageLimits: usageLimits(params),
      })
    case 'Recurring':
      return single({
        ...base,
        type: 'Recurring',
        ...optionalAmount(params.transactionAmount, 'transactionAmount'),
        recurringPeriodMs: parsePeriod(params.recurringPeriod ?? ''),
      })
    case 'Recipient':
      return single(
        {
          ...base,
          type: 'Unrestricted',
          paymentMethod: 'ABT',
          maxFixedFee: money(params.maxFixedFee, 'maxFixedFee'),
          maxVariableFee: parsePercent(params.maxVariableFee ?? '0', 'maxVariableFee'),
        },
        'SR'
      )
    case 'SetupPrepaid': {
      const { instrument, token } = withInstrument(
        session,
        base,
        'Prepaid',
        params.fundingAmount ?? '0',
        'fundingAmount'
      )
      const sender = token({ paymentMethod: 'Prepaid' })
      const funding = token({
        purpose: 'funding',
        callerReference: params.callerReferenceFunding ?? '',
      })
      return {
        tokens: [sender, funding],
        instrument,
        returnParams: {
          status: SUCCESS_STATUS[method],
          prepaidSenderTokenID: sender.id,
          fundingTokenID: funding.id,
          prepaidInstrumentID: instrument.id,
          expiry: buyer.cardExpiry,
        },
      }
    }
    case 'SetupPostpaid': {
      const { instrument, token } = withInstrument(
        session,
        base,
        'Credit',
        params.creditLimit ?? '0',
        'creditLimit'
      )
      const sender = token({
        paymentMethod: 'Debt',
        globalAmountLimit: money(params.globalAmountLimit, 'globalAmountLimit'),
        usageLimits: usageLimits(params),
      })
      const settlement = token({
        purpose: 'settlement',
        callerReference: params.callerReferenceSettlement ?? '',
      })
      return {
        tokens: [sender, settlement],
        instrument,
        returnParams: {
          status: SUCCESS_STATUS[method],
          creditSenderTokenID: sender.id,
          settlementTokenID: settlement.id,
          creditInstrumentID: instrument.id,
          expiry: buyer.cardExpiry,
        },
      }
    }
    default:
      throw new FpsFault('InternalError', `The ${session.pipeline} pipeline installs no new token.`)
  }
}
