import { FpsFault } from '../errors.js'
import { type Cents, MAX_AMOUNT_CENTS, percentOf } from '../money.js'
import type { Token, Transaction } from '../state/model.js'
import { startProcessing } from './completion.js'
import { type ActionContext, requireCaller } from './context.js'
import { checkFunds, checkPurchaseToken } from './instruments.js'
import { openTransaction } from './lifecycle.js'
import { checkSimulatedToken } from './simulations.js'
import { authorizeCharge, callerToken } from './tokens.js'

/** A Pay or Reserve request, already validated and converted to cents. */
export interface ChargeRequest {
  operation: 'Pay' | 'Reserve'
  senderTokenId: string
  amount: Cents
  callerReference: string
  recipientTokenId?: string
  callerDescription?: string
  senderDescription?: string
  marketplaceFixedFee?: Cents
  /** In basis points. */
  marketplaceVariableFee?: number
  overrideIpnUrl?: string
}

/** Checks an amount against FPS's range: above zero and at most $10,000. */
export function checkAmountRange(amount: Cents, parameter: string): void {
  if (amount < 1 || amount > MAX_AMOUNT_CENTS) {
    throw new FpsFault('AmountOutOfRange', `${parameter} must be between 0.01 and 10000.00.`)
  }
}

/**
 * Pay and Reserve: checks the simulations, the tokens and the balance, then opens the transaction;
 * ABT completes (or declines) at once, CC and ACH answer Pending.
 */
export function charge(ctx: ActionContext, request: ChargeRequest): Transaction {
  const callerAccountId = requireCaller(ctx)
  const { state } = ctx
  checkSimulatedToken(request.senderTokenId, 'Sender')
  checkSimulatedToken(request.recipientTokenId, 'Recipient')
  checkAmountRange(request.amount, 'TransactionAmount')
  const senderToken = callerToken(state, request.senderTokenId, callerAccountId, 'Sender')
  checkPurchaseToken(senderToken, request.operation)
  authorizeCharge(state, senderToken, request.amount, ctx.now)
  const recipientToken =
    request.recipientTokenId === undefined
      ? undefined
      : callerToken(state, request.recipientTokenId, callerAccountId, 'Recipient')
  const recipientAccountId = recipientToken?.ownerAccountId ?? callerAccountId
  if (recipientAccountId === senderToken.ownerAccountId) {
    throw new FpsFault(
      'SameSenderAndRecipient',
      'The sender and the recipient are the same account.'
    )
  }
  const marketplaceFee = marketplaceFeeOf(request, recipientToken)
  checkFunds(state, senderToken, request.amount)
  const txn = openTransaction(
    state,
    {
      operation: request.operation,
      callerAccountId,
      senderAccountId: senderToken.ownerAccountId,
      recipientAccountId,
      callerReference: request.callerReference,
      amount: request.amount,
      marketplaceFee,
      paymentMethod: senderToken.paymentMethod,
      senderTokenId: senderToken.id,
      ...(senderToken.instrumentId !== undefined && { instrumentId: senderToken.instrumentId }),
      ...optionalFields(request, recipientToken, senderToken, ctx.ipnUrl),
    },
    ctx.now
  )
  startProcessing(ctx, txn)
  return txn
}

/**
 * The marketplace caller's cut: allowed only with a recipient token, and within the fees the
 * recipient accepted when installing it.
 */
function marketplaceFeeOf(request: ChargeRequest, recipientToken: Token | undefined): Cents {
  const { marketplaceFixedFee: fixed, marketplaceVariableFee: variable, amount } = request
  if (fixed === undefined && variable === undefined) return 0
  if (!recipientToken) {
    throw new FpsFault('NotMarketplaceApp', 'Marketplace fees need a RecipientTokenId.')
  }
  if (
    (fixed ?? 0) > (recipientToken.maxFixedFee ?? 0) ||
    (variable ?? 0) > (recipientToken.maxVariableFee ?? 0)
  ) {
    throw new FpsFault(
      'IncompatibleTokens',
      'The marketplace fees exceed the maximum the recipient token allows.'
    )
  }
  const fee = (fixed ?? 0) + percentOf(amount, variable ?? 0)
  if (fee >= amount) {
    throw new FpsFault(
      'InvalidParams',
      'Transaction amount must be greater than Recipient Fee liability.'
    )
  }
  return fee
}

/** The transaction's optional fields: descriptions, recipient token, reason and where its IPNs go. */
function optionalFields(
  request: ChargeRequest,
  recipientToken: Token | undefined,
  senderToken: Token,
  ipnUrl: string | undefined
): Partial<Transaction> {
  const url = request.overrideIpnUrl ?? ipnUrl
  return {
    ...(request.callerDescription !== undefined && {
      callerDescription: request.callerDescription,
    }),
    ...(request.senderDescription !== undefined && {
      senderDescription: request.senderDescription,
    }),
    ...(recipientToken && { recipientTokenId: recipientToken.id }),
    ...(senderToken.paymentReason !== undefined && { paymentReason: senderToken.paymentReason }),
    ...(url !== undefined && { ipnUrl: url }),
  }
}
