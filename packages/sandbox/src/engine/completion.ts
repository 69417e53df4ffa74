import type { Operation, Transaction } from '../state/model.js'
import type { ActionContext } from './context.js'
import { type Reason, transition } from './lifecycle.js'
import { declinesBeforeClearing, isTemporaryDecline } from './simulations.js'

/** The operations that charge a sender's instrument, and so can be declined. */
const CHARGES_INSTRUMENT: ReadonlySet<Operation> = new Set([
  'Pay',
  'Reserve',
  'FundPrepaid',
  'SettleDebt',
])

const SUCCESS_REASON: Record<Exclude<Operation, 'Reserve'>, Reason> = {
  Pay: 'charged',
  Settle: 'settled',
  Refund: 'refunded',
  FundPrepaid: 'charged',
  SettleDebt: 'charged',
  WriteOffDebt: 'writtenOff',
}

/**
 * Whether the processor declines this charge: a temporary-decline amount, tried on this token at
 * that amount fewer times than it takes to clear.
 */
function declines(state: ActionContext['state'], txn: Transaction): boolean {
  if (!CHARGES_INSTRUMENT.has(txn.operation) || !isTemporaryDecline(txn.amount)) return false
  let declined = 0
  for (const earlier of state.transactions.values()) {
    if (
      earlier !== txn &&
      earlier.senderTokenId === txn.senderTokenId &&
      earlier.amount === txn.amount &&
      earlier.statusCode === 'TemporaryDecline'
    ) {
      declined += 1
    }
  }
  return declined < declinesBeforeClearing(txn.amount)
}

/**
 * Completes a Pending transaction the way the payment processor would have: temporary-decline
 * amounts fail (until they clear), a reserve becomes Reserved, everything else succeeds.
 */
export function completeTransaction(
  ctx: Pick<ActionContext, 'state' | 'now' | 'reserveExpiryMs'>,
  txn: Transaction
): void {
  const { state, now } = ctx
  if (declines(state, txn)) {
    transition(state, txn, 'Failure', 'declined', now)
  } else if (txn.operation === 'Reserve') {
    transition(state, txn, 'Reserved', 'reserved', now)
    txn.expiresAt = now.getTime() + ctx.reserveExpiryMs
  } else {
    transition(state, txn, 'Success', SUCCESS_REASON[txn.operation], now)
  }
}

/**
 * Money inside Amazon (balance, prepaid, credit line) moves at once; CC and ACH wait for the
 * (simulated) processor and complete after the configured delay. Either way the world hears about it.
 */
export function startProcessing(ctx: ActionContext, txn: Transaction): void {
  if (txn.paymentMethod === 'CC' || txn.paymentMethod === 'ACH') {
    txn.completesAt = ctx.now.getTime() + ctx.settlementDelayMs
  } else {
    completeTransaction(ctx, txn)
  }
  ctx.onTransaction(txn)
}
