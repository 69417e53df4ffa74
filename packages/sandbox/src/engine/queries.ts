import { formatXmlAmount } from '@fps-checkout/protocol'
import { FpsFault } from '../errors.js'
import type { Cents } from '../money.js'
import { holdBook } from '../state/ledger.js'
import type { Token, Transaction } from '../state/model.js'
import type { SandboxState } from '../state/store.js'
import type { XmlObject } from '../xml.js'
import { type ActionContext, requireCaller } from './context.js'
import { remainingUsage } from './tokens.js'

/** An FPS `Amount` element. */
export const amountXml = (cents: Cents): XmlObject => ({
  CurrencyCode: 'USD',
  Value: formatXmlAmount(cents),
})

/** The FPS `Token` element. */
export function tokenXml(token: Token): XmlObject {
  return {
    TokenId: token.id,
    FriendlyName: token.callerReference,
    TokenStatus: token.status,
    DateInstalled: token.dateInstalled,
    CallerReference: token.callerReference,
    TokenType: token.type,
    PaymentReason: token.paymentReason,
  }
}

/** GetTransactionStatus's result. */
export function statusXml(txn: Transaction): XmlObject {
  return {
    TransactionId: txn.id,
    TransactionStatus: txn.status,
    CallerReference: txn.callerReference,
    StatusCode: txn.statusCode,
    StatusMessage: txn.statusMessage,
  }
}

/** GetTransaction's `Transaction` element (TransactionDetail), with its status history. */
export function transactionDetailXml(state: SandboxState, txn: Transaction): XmlObject {
  const related = [
    ...(txn.parentId ? [{ TransactionId: txn.parentId, RelationType: 'Parent' }] : []),
  ]
  for (const childId of txn.children) {
    const child = state.transactions.get(childId)
    if (child)
      related.push({
        TransactionId: child.id,
        RelationType: child.operation === 'Refund' ? 'Refund' : 'Settle',
      })
  }
  const sender = state.accounts.get(txn.senderAccountId)
  const recipient = state.accounts.get(txn.recipientAccountId)
  return {
    TransactionId: txn.id,
    CallerReference: txn.callerReference,
    CallerDescription: txn.callerDescription,
    SenderDescription: txn.senderDescription,
    DateReceived: txn.dateReceived,
    DateCompleted: txn.dateCompleted,
    TransactionAmount: amountXml(txn.amount),
    FPSFees: amountXml(0),
    MarketplaceFees: txn.marketplaceFee > 0 ? amountXml(txn.marketplaceFee) : undefined,
    FPSFeesPaidBy: 'Recipient',
    SenderTokenId: txn.senderTokenId,
    RecipientTokenId: txn.recipientTokenId,
    PrepaidInstrumentId:
      txn.paymentMethod === 'Prepaid' || txn.operation === 'FundPrepaid'
        ? txn.instrumentId
        : undefined,
    CreditInstrumentId:
      txn.paymentMethod === 'Debt' ||
      txn.operation === 'SettleDebt' ||
      txn.operation === 'WriteOffDebt'
        ? txn.instrumentId
        : undefined,
    FPSOperation: txn.operation,
    PaymentMethod: txn.paymentMethod,
    TransactionStatus: txn.status,
    StatusCode: txn.statusCode,
    StatusMessage: txn.statusMessage,
    SenderName: sender?.name,
    SenderEmail: sender?.email,
    CallerName: state.accounts.get(txn.callerAccountId)?.name ?? '',
    RecipientName: recipient?.name,
    RecipientEmail: recipient?.email,
    RelatedTransaction: related,
    StatusHistory: txn.history.map((change) => ({
      Date: change.date,
      TransactionStatus: change.status,
      StatusCode: change.statusCode,
      Amount: amountXml(change.amount),
    })),
  }
}

/** GetTokenByCaller: exactly one of TokenId and CallerReference, among this caller's tokens. */
export function tokenByCaller(
  ctx: ActionContext,
  lookup: { tokenId?: string; callerReference?: string }
): Token {
  const callerAccountId = requireCaller(ctx)
  if ((lookup.tokenId === undefined) === (lookup.callerReference === undefined)) {
    throw new FpsFault('InvalidParams', 'Specify exactly one of TokenId and CallerReference.')
  }
  const found = [...ctx.state.tokens.values()].find(
    (token) =>
      token.callerAccountId === callerAccountId &&
      (lookup.tokenId === undefined
        ? token.callerReference === lookup.callerReference
        : token.id === lookup.tokenId)
  )
  if (found) return found
  if (lookup.tokenId !== undefined)
    throw new FpsFault(
      'InvalidTokenId',
      `Token ${lookup.tokenId} was not installed by this caller.`
    )
  throw new FpsFault(
    'InvalidCallerReference',
    `CallerReference ${lookup.callerReference} has no token associated with it.`
  )
}

/** GetTokenUsage: what each usage limit of a MultiUse token has left now. */
export function tokenUsageXml(ctx: ActionContext, token: Token): XmlObject {
  if (token.type !== 'MultiUse') {
    throw new FpsFault(
      'InvalidTokenType',
      `Token ${token.id} is ${token.type}; only MultiUse tokens have usage limits.`
    )
  }
  return {
    TokenUsageLimits: remainingUsage(ctx.state, token, ctx.now).map(
      ({ limit, remaining, since }) => ({
        Count: limit.type === 'Count' ? String(remaining) : undefined,
        Amount: limit.type === 'Amount' ? amountXml(remaining) : undefined,
        LastResetTimestamp: since,
      })
    ),
  }
}

/**
 * GetAccountBalance: the available balance, what pending transactions will bring in and what
 * pending refunds hold back. TotalBalance is available plus pending in.
 */
export function accountBalanceXml(state: SandboxState, accountId: string): XmlObject {
  let pendingIn = 0
  let pendingOut = 0
  for (const txn of state.transactions.values()) {
    if (txn.status !== 'Pending') continue
    const held = state.ledger.balance(holdBook(txn.id))
    if (txn.operation === 'Refund' && txn.senderAccountId === accountId) pendingOut += held
    if (txn.operation === 'Refund' || txn.operation === 'Reserve') continue
    if (txn.recipientAccountId === accountId) pendingIn += held - txn.marketplaceFee
    if (txn.callerAccountId === accountId && txn.callerAccountId !== txn.recipientAccountId)
      pendingIn += txn.marketplaceFee
  }
  const available = state.balance(accountId)
  return {
    AccountBalance: {
      TotalBalance: amountXml(available + pendingIn),
      PendingInBalance: amountXml(pendingIn),
      PendingOutBalance: amountXml(pendingOut),
      AvailableBalances: {
        DisburseBalance: amountXml(available),
        RefundBalance: amountXml(available),
      },
    },
  }
}
