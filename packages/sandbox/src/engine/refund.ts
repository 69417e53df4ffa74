import { formatCents } from '@fps-checkout/protocol'
import { FpsFault } from '../errors.js'
import type { Cents } from '../money.js'
import type { Transaction } from '../state/model.js'
import { startProcessing } from './completion.js'
import { type ActionContext, requireCaller } from './context.js'
import { openTransaction } from './lifecycle.js'
import { checkAmountRange } from './payments.js'
import { ownTransaction } from './transactions.js'

/** A Refund request; without an amount the whole refundable remainder is refunded. */
export interface RefundRequest {
  transactionId: string
  callerReference: string
  amount?: Cents
  callerDescription?: string
  overrideIpnUrl?: string
}

/** How much of a Pay or Settle can still be refunded: the recipient's part minus earlier refunds. */
export function refundable(txn: Transaction): Cents {
  return txn.amount - txn.marketplaceFee - txn.refunded
}

/**
 * Refunds a successful Pay or Settle from the recipient's balance back to the sender's
 * instrument, up to the refundable amount (MasterTxnOnly: the marketplace keeps its fee).
 */
export function refund(ctx: ActionContext, request: RefundRequest): Transaction {
  const callerAccountId = requireCaller(ctx)
  const { state } = ctx
  const original = ownTransaction(state, request.transactionId, callerAccountId)
  if (original.operation !== 'Pay' && original.operation !== 'Settle') {
    throw new FpsFault(
      'TransactionTypeNotRefundable',
      `A ${original.operation} transaction cannot be refunded.`
    )
  }
  if (original.status === 'Pending') {
    throw new FpsFault(
      'OriginalTransactionIncomplete',
      `Transaction ${original.id} is still Pending.`
    )
  }
  if (original.status !== 'Success') {
    throw new FpsFault(
      'OriginalTransactionFailed',
      `Transaction ${original.id} is ${original.status}.`
    )
  }
  const remaining = refundable(original)
  if (remaining === 0) {
    throw new FpsFault(
      'TransactionFullyRefundedAlready',
      `Transaction ${original.id} is already fully refunded.`
    )
  }
  const amount = request.amount ?? remaining
  checkAmountRange(amount, 'RefundAmount')
  if (amount > remaining) {
    throw new FpsFault(
      'RefundAmountExceeded',
      `Refund amount ${formatCents(amount)} is more than the refundable ${formatCents(remaining)}.`
    )
  }
  if (state.balance(original.recipientAccountId) < amount) {
    throw new FpsFault(
      'InsufficientBalance',
      "The recipient's balance is insufficient for this refund."
    )
  }
  const ipnUrl = request.overrideIpnUrl ?? original.ipnUrl
  const txn = openTransaction(
    state,
    {
      operation: 'Refund',
      callerAccountId,
      senderAccountId: original.recipientAccountId,
      recipientAccountId: original.senderAccountId,
      callerReference: request.callerReference,
      amount,
      marketplaceFee: 0,
      paymentMethod: original.paymentMethod,
      ...(original.instrumentId !== undefined && { instrumentId: original.instrumentId }),
      parentId: original.id,
      ...(request.callerDescription !== undefined && {
        callerDescription: request.callerDescription,
      }),
      ...(original.paymentReason !== undefined && { paymentReason: original.paymentReason }),
      ...(ipnUrl !== undefined && { ipnUrl }),
    },
    ctx.now
  )
  original.refunded += amount
  startProcessing(ctx, txn)
  return txn
}
