import { FpsFault } from '../errors.js'
import type { Transaction } from '../state/model.js'
import type { SandboxState } from '../state/store.js'

/**
 * A transaction the caller may see: it made it, or received it on a marketplace. Anything else is
 * answered exactly like an unknown id, so ids of other callers leak nothing.
 */
export function visibleTransaction(
  state: SandboxState,
  transactionId: string,
  accountId: string
): Transaction {
  const txn = state.transactions.get(transactionId)
  if (!txn || (txn.callerAccountId !== accountId && txn.recipientAccountId !== accountId)) {
    throw new FpsFault(
      'InvalidTransactionId',
      `transactionId has to be a valid transaction ID. Specified value: ${transactionId}`
    )
  }
  return txn
}

/** A transaction this caller made, for the actions only its caller may take (Settle, Refund, Cancel). */
export function ownTransaction(
  state: SandboxState,
  transactionId: string,
  callerAccountId: string
): Transaction {
  const txn = visibleTransaction(state, transactionId, callerAccountId)
  if (txn.callerAccountId !== callerAccountId) {
    throw new FpsFault(
      'InvalidTransactionId',
      `Transaction ${transactionId} was not made by this caller.`
    )
  }
  return txn
}
