import { formatCents } from '@fps-checkout/protocol'
import { FpsFault } from '../errors.js'
import type { Cents } from '../money.js'
import { creditBook, prepaidBook } from '../state/ledger.js'
import type { Instrument, Token } from '../state/model.js'
import type { SandboxState } from '../state/store.js'

/** A prepaid instrument or credit line of this caller, or the error FPS gave for a bad id. */
export function callerInstrument(
  state: SandboxState,
  instrumentId: string,
  callerAccountId: string,
  kind: Instrument['kind']
): Instrument {
  const instrument = state.instruments.get(instrumentId)
  if (!instrument || instrument.kind !== kind || instrument.callerAccountId !== callerAccountId) {
    const parameter = kind === 'Prepaid' ? 'PrepaidInstrumentId' : 'CreditInstrumentId'
    throw new FpsFault(
      'InvalidParams',
      `${parameter} has to be a valid instrument ID. Specified value: ${instrumentId}`
    )
  }
  return instrument
}

/** What a prepaid instrument holds now. */
export const prepaidBalance = (state: SandboxState, instrument: Instrument): Cents =>
  state.ledger.balance(prepaidBook(instrument.id))

/** What the buyer owes on a credit line now. */
export const debtOf = (state: SandboxState, instrument: Instrument): Cents =>
  -state.ledger.balance(creditBook(instrument.id))

/**
 * Checks that the sender can pay `amount` from where the token draws: the Amazon Payments balance,
 * the prepaid balance, or the credit line within its limit. Cards and banks are never short.
 */
export function checkFunds(state: SandboxState, token: Token, amount: Cents): void {
  const instrument =
    token.instrumentId === undefined ? undefined : state.instruments.get(token.instrumentId)
  if (token.paymentMethod === 'ABT' && state.balance(token.ownerAccountId) < amount) {
    throw new FpsFault(
      'InsufficientBalance',
      "The sender's Amazon Payments balance is insufficient."
    )
  }
  if (
    token.paymentMethod === 'Prepaid' &&
    (!instrument || prepaidBalance(state, instrument) < amount)
  ) {
    throw new FpsFault('InsufficientBalance', 'The prepaid balance is insufficient.')
  }
  if (
    token.paymentMethod === 'Debt' &&
    (!instrument || debtOf(state, instrument) + amount > instrument.limit)
  ) {
    throw new FpsFault(
      'AccountLimitsExceeded',
      `The charge would take the debt above the credit limit of ${formatCents(instrument?.limit ?? 0)}.`
    )
  }
}

/** Refuses tokens that only pay into an instrument (funding, settlement) where a purchase is made. */
export function checkPurchaseToken(token: Token, operation: 'Pay' | 'Reserve'): void {
  if (token.purpose !== undefined) {
    throw new FpsFault(
      'InvalidTokenType',
      `Token ${token.id} is a ${token.purpose} token; it cannot be used for ${operation}.`
    )
  }
  if (
    operation === 'Reserve' &&
    (token.paymentMethod === 'Prepaid' || token.paymentMethod === 'Debt')
  ) {
    throw new FpsFault(
      'InvalidTokenType',
      'Prepaid and postpaid tokens pay at once; use Pay, not Reserve.'
    )
  }
}
