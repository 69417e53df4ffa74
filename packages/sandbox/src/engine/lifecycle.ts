import { FpsFault } from '../errors.js'
import { newTransactionId } from '../ids.js'
import type { Cents } from '../money.js'
import { balanceBook, creditBook, holdBook, prepaidBook, WORLD } from '../state/ledger.js'
import type { Transaction, TransactionMethod, TransactionStatus } from '../state/model.js'
import type { SandboxState } from '../state/store.js'

/** The fields a new transaction needs; ids, status and history are filled in here. */
export type NewTransaction = Pick<
  Transaction,
  | 'operation'
  | 'callerAccountId'
  | 'senderAccountId'
  | 'recipientAccountId'
  | 'callerReference'
  | 'amount'
  | 'marketplaceFee'
  | 'paymentMethod'
> &
  Partial<
    Pick<
      Transaction,
      | 'callerDescription'
      | 'senderDescription'
      | 'senderTokenId'
      | 'recipientTokenId'
      | 'parentId'
      | 'ipnUrl'
      | 'paymentReason'
      | 'instrumentId'
    >
  >

/** Which transitions FPS allows; anything else is `InvalidTransactionState`. */
const ALLOWED: Record<TransactionStatus, readonly TransactionStatus[]> = {
  Pending: ['Success', 'Reserved', 'Failure', 'Cancelled'],
  Reserved: ['Success', 'Cancelled'],
  Success: [],
  Failure: [],
  Cancelled: [],
}

/** Why a transaction changed: the StatusCode and StatusMessage FPS reported for it. */
const REASONS = {
  pending: {
    code: 'PendingNetworkResponse',
    message: 'The transaction is awaiting a response from the backend payment processor.',
  },
  charged: {
    code: 'Success',
    message: 'The transaction was successful and the payment instrument was charged.',
  },
  reserved: {
    code: 'Success',
    message: 'The requested amount was reserved successfully against the given payment instrument.',
  },
  settled: { code: 'Success', message: 'The reserved amount was settled.' },
  expired: {
    code: 'Expired',
    message: 'The reserved amount was not settled within the timeout period.',
  },
  writtenOff: { code: 'Success', message: 'The debt was written off.' },
  refunded: { code: 'Success', message: 'The refund was successful.' },
  canceled: { code: 'Canceled', message: 'The transaction was explicitly canceled by the caller.' },
  declined: {
    code: 'TemporaryDecline',
    message: 'The payment instrument was temporarily declined; retry with a new CallerReference.',
  },
} as const satisfies Record<string, { code: string; message: string }>

export type Reason = keyof typeof REASONS

/**
 * Where a payment method's money lives: the Amazon Payments balance for ABT, the prepaid
 * instrument or credit line for Prepaid and Debt, the outside world (card networks, banks) otherwise.
 */
export function instrumentBook(
  accountId: string,
  method: TransactionMethod,
  instrumentId?: string
): string {
  if (method === 'ABT') return balanceBook(accountId)
  if (method === 'Prepaid') return prepaidBook(instrumentId ?? '')
  if (method === 'Debt') return creditBook(instrumentId ?? '')
  return WORLD
}

/** Where a transaction's money comes from, and returns to if it fails or is cancelled. */
function sourceBook(txn: Transaction): string {
  return txn.operation === 'Refund'
    ? balanceBook(txn.senderAccountId)
    : instrumentBook(txn.senderAccountId, txn.paymentMethod, txn.instrumentId)
}

/** Where a successful transaction's money goes that does not pay a recipient. */
function destinationBook(txn: Transaction): string | undefined {
  switch (txn.operation) {
    case 'Refund':
      return instrumentBook(txn.recipientAccountId, txn.paymentMethod, txn.instrumentId)
    case 'FundPrepaid':
      return prepaidBook(txn.instrumentId ?? '')
    case 'SettleDebt':
    case 'WriteOffDebt':
      return creditBook(txn.instrumentId ?? '')
    default:
      return undefined
  }
}

/**
 * Creates a Pending transaction and moves its money into the transaction's hold, from its source
 * (the sender's instrument, or the recipient's balance for a refund) unless `from` says otherwise.
 */
export function openTransaction(
  state: SandboxState,
  fields: NewTransaction,
  now: Date,
  from?: string
): Transaction {
  const at = now.toISOString()
  const txn: Transaction = {
    ...fields,
    id: newTransactionId(),
    children: [],
    status: 'Pending',
    statusCode: REASONS.pending.code,
    statusMessage: REASONS.pending.message,
    history: [
      { date: at, status: 'Pending', statusCode: REASONS.pending.code, amount: fields.amount },
    ],
    dateReceived: at,
    refunded: 0,
  }
  state.ledger.move(from ?? sourceBook(txn), holdBook(txn.id), txn.amount, txn.id, at)
  state.transactions.set(txn.id, txn)
  if (txn.parentId) state.transactions.get(txn.parentId)?.children.push(txn.id)
  return txn
}

/**
 * Moves a transaction to a new status and the money with it: success pays out the hold, failure
 * and cancellation return it to where it came from, a reserve keeps holding it.
 */
export function transition(
  state: SandboxState,
  txn: Transaction,
  to: TransactionStatus,
  reason: Reason,
  now: Date
): void {
  if (!ALLOWED[txn.status].includes(to)) {
    throw new FpsFault(
      'InvalidTransactionState',
      `Transaction ${txn.id} is ${txn.status} and cannot become ${to}.`
    )
  }
  const at = now.toISOString()
  const hold = state.ledger.balance(holdBook(txn.id))
  if (to === 'Success' && txn.status === 'Pending') payOut(state, txn, at)
  if (to === 'Failure' || to === 'Cancelled') {
    state.ledger.move(holdBook(txn.id), sourceBook(txn), hold, txn.id, at)
    releaseRefund(state, txn)
  }
  const { code, message } = REASONS[reason]
  txn.status = to
  txn.statusCode = code
  txn.statusMessage = message
  txn.history.push({ date: at, status: to, statusCode: code, amount: txn.amount })
  if (to !== 'Reserved') txn.dateCompleted = at
  delete txn.completesAt
  delete txn.expiresAt
}

function payOut(state: SandboxState, txn: Transaction, at: string): void {
  const hold = holdBook(txn.id)
  const destination = destinationBook(txn)
  if (destination !== undefined) {
    state.ledger.move(hold, destination, txn.amount, txn.id, at)
    return
  }
  state.ledger.move(
    hold,
    balanceBook(txn.recipientAccountId),
    txn.amount - txn.marketplaceFee,
    txn.id,
    at
  )
  state.ledger.move(hold, balanceBook(txn.callerAccountId), txn.marketplaceFee, txn.id, at)
}

/** A failed or cancelled refund gives its amount back to the refundable amount of its parent. */
function releaseRefund(state: SandboxState, txn: Transaction): void {
  if (txn.operation !== 'Refund' || !txn.parentId) return
  const parent = state.transactions.get(txn.parentId)
  if (parent) parent.refunded -= txn.amount
}

/** The money still held by a transaction (its hold book), e.g. what a reserve can settle. */
export function heldAmount(state: SandboxState, txn: Transaction): Cents {
  return state.ledger.balance(holdBook(txn.id))
}
