import { formatCents } from '@fps-checkout/protocol'
import { FpsFault } from '../errors.js'
import type { Cents } from '../money.js'
import { holdBook } from '../state/ledger.js'
import type { Transaction } from '../state/model.js'
import { startProcessing } from './completion.js'
import { type ActionContext, requireCaller } from './context.js'
import { heldAmount, instrumentBook, openTransaction, transition } from './lifecycle.js'
import { ownTransaction } from './transactions.js'

/** A Settle request: the reserve to capture and, optionally, less than all of it. */
export interface SettleRequest {
  reserveTransactionId: string
  amount?: Cents
  overrideIpnUrl?: string
}

/**
 * Settles a Reserved transaction once, for at most the reserved amount; the rest of the
 * reservation is released to the sender at the same moment, as FPS did.
 */
export function settle(ctx: ActionContext, request: SettleRequest): Transaction {
  const callerAccountId = requireCaller(ctx)
  const { state, now } = ctx
  const reserve = ownTransaction(state, request.reserveTransactionId, callerAccountId)
  if (reserve.operation !== 'Reserve') {
    throw new FpsFault(
      'InvalidTransactionId',
      `Transaction ${reserve.id} is a ${reserve.operation}, not a Reserve.`
    )
  }
  if (reserve.status !== 'Reserved') {
    throw new FpsFault(
      'InvalidTransactionState',
      `Reserve ${reserve.id} is ${reserve.status}; only Reserved can be settled.`
    )
  }
  const reserved = heldAmount(state, reserve)
  const amount = request.amount ?? reserved
  if (amount > reserved) {
    throw new FpsFault(
      'SettleAmountGreaterThanReserveAmount',
      `Settle amount ${formatCents(amount)} is greater than the reserved ${formatCents(reserved)}.`
    )
  }
  const ipnUrl = request.overrideIpnUrl ?? reserve.ipnUrl
  const txn = openTransaction(
    state,
    {
      operation: 'Settle',
      callerAccountId,
      senderAccountId: reserve.senderAccountId,
      recipientAccountId: reserve.recipientAccountId,
      callerReference: reserve.callerReference,
      amount,
      marketplaceFee: Math.floor((reserve.marketplaceFee * amount) / reserve.amount),
      paymentMethod: reserve.paymentMethod,
      parentId: reserve.id,
      ...(reserve.senderTokenId && { senderTokenId: reserve.senderTokenId }),
      ...(reserve.recipientTokenId && { recipientTokenId: reserve.recipientTokenId }),
      ...(reserve.paymentReason !== undefined && { paymentReason: reserve.paymentReason }),
      ...(ipnUrl !== undefined && { ipnUrl }),
    },
    now,
    holdBook(reserve.id)
  )
  const release = instrumentBook(
    reserve.senderAccountId,
    reserve.paymentMethod,
    reserve.instrumentId
  )
  state.ledger.move(holdBook(reserve.id), release, reserved - amount, reserve.id, now.toISOString())
  transition(state, reserve, 'Success', 'settled', now)
  ctx.onTransaction(reserve)
  startProcessing(ctx, txn)
  return txn
}

/** Cancels a Pending transaction or an unsettled reserve; the held money goes back. */
export function cancel(
  ctx: ActionContext,
  transactionId: string,
  overrideIpnUrl?: string
): Transaction {
  const txn = ownTransaction(ctx.state, transactionId, requireCaller(ctx))
  if (txn.status !== 'Pending' && txn.status !== 'Reserved') {
    throw new FpsFault(
      'InvalidTransactionState',
      `Transaction ${txn.id} is ${txn.status} and can no longer be cancelled.`
    )
  }
  transition(ctx.state, txn, 'Cancelled', 'canceled', ctx.now)
  if (overrideIpnUrl !== undefined) txn.ipnUrl = overrideIpnUrl
  ctx.onTransaction(txn)
  return txn
}
