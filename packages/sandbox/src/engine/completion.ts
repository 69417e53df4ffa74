import type { Transaction } from '../state/model.js'
import type { ActionContext } from './context.js'
import { transition } from './lifecycle.js'
import { isTemporaryDecline } from './simulations.js'

/**
 * Completes a Pending transaction the way the payment processor would have: temporary-decline
 * amounts fail, a reserve becomes Reserved, everything else succeeds.
 */
export function completeTransaction(
  ctx: Pick<ActionContext, 'state' | 'now'>,
  txn: Transaction
): void {
  const { state, now } = ctx
  const chargesInstrument = txn.operation === 'Pay' || txn.operation === 'Reserve'
  if (chargesInstrument && isTemporaryDecline(txn.amount)) {
    transition(state, txn, 'Failure', 'declined', now)
  } else if (txn.operation === 'Reserve') {
    transition(state, txn, 'Reserved', 'reserved', now)
  } else {
    const reason =
      txn.operation === 'Pay' ? 'charged' : txn.operation === 'Settle' ? 'settled' : 'refunded'
    transition(state, txn, 'Success', reason, now)
  }
}

/**
 * ABT moves money inside Amazon and completes at once; CC and ACH wait for the (simulated)
 * processor and complete after the configured delay. Either way the world hears about it.
 */
export function startProcessing(ctx: ActionContext, txn: Transaction): void {
  if (txn.paymentMethod === 'ABT') {
    completeTransaction(ctx, txn)
  } else {
    txn.completesAt = ctx.now.getTime() + ctx.settlementDelayMs
  }
  ctx.onTransaction(txn)
}
