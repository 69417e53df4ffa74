import { formatCents } from '@fps-checkout/protocol'
import { FpsFault } from '../errors.js'
import type { Cents } from '../money.js'
import { holdBook } from '../state/ledger.js'
import type { Instrument, Operation, Transaction } from '../state/model.js'
import type { SandboxState } from '../state/store.js'
import type { XmlObject } from '../xml.js'
import { startProcessing } from './completion.js'
import { type ActionContext, requireCaller } from './context.js'
import { callerInstrument, checkFunds, debtOf, prepaidBalance } from './instruments.js'
import { openTransaction } from './lifecycle.js'
import { checkAmountRange } from './payments.js'
import { amountXml } from './queries.js'
import { checkSimulatedToken } from './simulations.js'
import { callerToken } from './tokens.js'

/** FundPrepaid and SettleDebt: a sender token paying an amount into one of the caller's instruments. */
export interface InstrumentPayment {
  senderTokenId: string
  instrumentId: string
  amount: Cents
  callerReference: string
  callerDescription?: string
  senderDescription?: string
  overrideIpnUrl?: string
}

/** What Pending transactions are still moving into an instrument. */
function pendingInto(state: SandboxState, instrument: Instrument, operation: Operation): Cents {
  let pending = 0
  for (const txn of state.transactions.values()) {
    if (
      txn.instrumentId === instrument.id &&
      txn.operation === operation &&
      txn.status === 'Pending'
    ) {
      pending += state.ledger.balance(holdBook(txn.id))
    }
  }
  return pending
}

const KINDS = {
  FundPrepaid: { kind: 'Prepaid', purpose: 'funding' },
  SettleDebt: { kind: 'Credit', purpose: 'settlement' },
} as const

/** Checks that an instrument can take `amount`: a prepaid one up to its limit, a credit line up to its debt. */
function checkRoom(
  state: SandboxState,
  operation: 'FundPrepaid' | 'SettleDebt' | 'WriteOffDebt',
  instrument: Instrument,
  amount: Cents
): void {
  if (operation === 'FundPrepaid') {
    const after =
      prepaidBalance(state, instrument) + pendingInto(state, instrument, operation) + amount
    if (after > instrument.limit) {
      throw new FpsFault(
        'PrepaidFundingLimitExceeded',
        `The prepaid balance may not exceed ${formatCents(instrument.limit)}.`
      )
    }
    return
  }
  const owed =
    debtOf(state, instrument) -
    pendingInto(state, instrument, 'SettleDebt') -
    pendingInto(state, instrument, 'WriteOffDebt')
  if (amount > owed) {
    throw new FpsFault(
      'SettleAmountGreaterThanDebt',
      `The amount ${formatCents(amount)} is more than the debt of ${formatCents(owed)}.`
    )
  }
}

/** FundPrepaid (a funding token into a prepaid instrument) or SettleDebt (a settlement token into a credit line). */
export function payIntoInstrument(
  ctx: ActionContext,
  operation: 'FundPrepaid' | 'SettleDebt',
  request: InstrumentPayment
): Transaction {
  const callerAccountId = requireCaller(ctx)
  const { state } = ctx
  checkSimulatedToken(request.senderTokenId, 'Sender')
  checkAmountRange(
    request.amount,
    operation === 'FundPrepaid' ? 'FundingAmount' : 'SettlementAmount'
  )
  const { kind, purpose } = KINDS[operation]
  const instrument = callerInstrument(state, request.instrumentId, callerAccountId, kind)
  const token = callerToken(state, request.senderTokenId, callerAccountId, 'Sender')
  if (token.purpose !== purpose || token.instrumentId !== instrument.id) {
    throw new FpsFault(
      'IncompatibleTokens',
      `Token ${token.id} is not the ${purpose} token of instrument ${instrument.id}.`
    )
  }
  checkRoom(state, operation, instrument, request.amount)
  checkFunds(state, token, request.amount)
  const ipnUrl = request.overrideIpnUrl ?? ctx.ipnUrl
  const txn = openTransaction(
    state,
    {
      operation,
      callerAccountId,
      senderAccountId: token.ownerAccountId,
      recipientAccountId: token.ownerAccountId,
      callerReference: request.callerReference,
      amount: request.amount,
      marketplaceFee: 0,
      paymentMethod: token.paymentMethod,
      instrumentId: instrument.id,
      senderTokenId: token.id,
      ...(request.callerDescription !== undefined && {
        callerDescription: request.callerDescription,
      }),
      ...(request.senderDescription !== undefined && {
        senderDescription: request.senderDescription,
      }),
      ...(ipnUrl !== undefined && { ipnUrl }),
    },
    ctx.now
  )
  startProcessing(ctx, txn)
  return txn
}

/** WriteOffDebt: the caller forgives part of a debt, paying it off from its own balance. */
export function writeOffDebt(
  ctx: ActionContext,
  request: {
    instrumentId: string
    amount: Cents
    callerReference: string
    callerDescription?: string
  }
): Transaction {
  const callerAccountId = requireCaller(ctx)
  const { state } = ctx
  checkAmountRange(request.amount, 'AdjustmentAmount')
  const instrument = callerInstrument(state, request.instrumentId, callerAccountId, 'Credit')
  checkRoom(state, 'WriteOffDebt', instrument, request.amount)
  if (state.balance(callerAccountId) < request.amount) {
    throw new FpsFault(
      'InsufficientBalance',
      "The caller's balance is insufficient for this write-off."
    )
  }
  const txn = openTransaction(
    state,
    {
      operation: 'WriteOffDebt',
      callerAccountId,
      senderAccountId: callerAccountId,
      recipientAccountId: instrument.ownerAccountId,
      callerReference: request.callerReference,
      amount: request.amount,
      marketplaceFee: 0,
      paymentMethod: 'ABT',
      instrumentId: instrument.id,
      ...(request.callerDescription !== undefined && {
        callerDescription: request.callerDescription,
      }),
      ...(ctx.ipnUrl !== undefined && { ipnUrl: ctx.ipnUrl }),
    },
    ctx.now
  )
  startProcessing(ctx, txn)
  return txn
}

/** GetPrepaidBalance and GetTotalPrepaidLiability: what prepaid instruments hold and are being funded with. */
export function prepaidXml(state: SandboxState, instruments: Instrument[]): XmlObject {
  let available = 0
  let pending = 0
  for (const instrument of instruments) {
    available += prepaidBalance(state, instrument)
    pending += pendingInto(state, instrument, 'FundPrepaid')
  }
  return { Balance: amountXml(available), PendingInBalance: amountXml(pending) }
}

/** GetDebtBalance and GetOutstandingDebtBalance: what credit lines owe and what settlements are on the way. */
export function debtXml(state: SandboxState, instruments: Instrument[]): XmlObject {
  let owed = 0
  let pending = 0
  for (const instrument of instruments) {
    owed += debtOf(state, instrument)
    pending += pendingInto(state, instrument, 'SettleDebt')
  }
  return { Balance: amountXml(owed), PendingOutBalance: amountXml(pending) }
}
