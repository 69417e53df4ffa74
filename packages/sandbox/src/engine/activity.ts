import { balanceBook } from '../state/ledger.js'
import type {
  Operation,
  Transaction,
  TransactionMethod,
  TransactionStatus,
} from '../state/model.js'
import type { SandboxState } from '../state/store.js'
import type { XmlObject } from '../xml.js'
import { type ActionContext, requireCaller } from './context.js'
import { amountXml } from './queries.js'

type Role = 'Sender' | 'Caller' | 'Recipient'

/** GetAccountActivity's filters, already validated. */
export interface ActivityQuery {
  startDate: Date
  endDate?: Date
  maxBatchSize?: number
  sortOrder: 'Ascending' | 'Descending'
  operation?: Operation
  paymentMethod?: TransactionMethod
  roles: Role[]
  status?: TransactionStatus
}

/** The parts an account plays in a transaction. */
export function rolesOf(txn: Transaction, accountId: string): Role[] {
  const roles: Role[] = []
  if (txn.senderAccountId === accountId) roles.push('Sender')
  if (txn.callerAccountId === accountId) roles.push('Caller')
  if (txn.recipientAccountId === accountId) roles.push('Recipient')
  return roles
}

function matches(txn: Transaction, accountId: string, query: ActivityQuery): boolean {
  const received = Date.parse(txn.dateReceived)
  const roles = rolesOf(txn, accountId)
  return (
    roles.length > 0 &&
    received >= query.startDate.getTime() &&
    (query.endDate === undefined || received <= query.endDate.getTime()) &&
    (query.operation === undefined || txn.operation === query.operation) &&
    (query.paymentMethod === undefined || txn.paymentMethod === query.paymentMethod) &&
    (query.status === undefined || txn.status === query.status) &&
    (query.roles.length === 0 || query.roles.some((role) => roles.includes(role)))
  )
}

/** The account's balance right after each transaction last moved its money. */
function balancesAfter(state: SandboxState, accountId: string): Map<string, number> {
  const book = balanceBook(accountId)
  const after = new Map<string, number>()
  let running = 0
  for (const posting of state.ledger.postings) {
    if (posting.from === book) running -= posting.amount
    if (posting.to === book) running += posting.amount
    if (posting.from === book || posting.to === book) after.set(posting.transactionId, running)
  }
  return after
}

/** GetAccountActivity: the caller's transactions in a date range, in batches. */
export function accountActivityXml(ctx: ActionContext, query: ActivityQuery): XmlObject {
  const accountId = requireCaller(ctx)
  const { state } = ctx
  const direction = query.sortOrder === 'Ascending' ? 1 : -1
  const all = [...state.transactions.values()]
    .filter((txn) => matches(txn, accountId, query))
    .sort((a, b) => direction * (Date.parse(a.dateReceived) - Date.parse(b.dateReceived)))
  const batch = query.maxBatchSize === undefined ? all : all.slice(0, query.maxBatchSize)
  const next = all[batch.length]
  const balances = balancesAfter(state, accountId)
  const name = (id: string) => state.accounts.get(id)?.name
  return {
    BatchSize: String(batch.length),
    Transaction: batch.map((txn) => ({
      TransactionId: txn.id,
      CallerTransactionDate: txn.dateReceived,
      DateReceived: txn.dateReceived,
      DateCompleted: txn.dateCompleted,
      TransactionAmount: amountXml(txn.amount),
      FPSOperation: txn.operation,
      TransactionStatus: txn.status,
      StatusMessage: txn.statusMessage,
      StatusCode: txn.statusCode,
      OriginalTransactionId: txn.parentId,
      TransactionPart: rolesOf(txn, accountId).map((role) => ({
        Role: role,
        Name: name(accountId),
        Reference: txn.callerReference,
        Description: role === 'Caller' ? txn.callerDescription : undefined,
        FeesPaid: amountXml(0),
      })),
      PaymentMethod: txn.paymentMethod,
      SenderName: name(txn.senderAccountId),
      CallerName: name(txn.callerAccountId) ?? '',
      RecipientName: name(txn.recipientAccountId),
      FPSFees: amountXml(0),
      Balance: amountXml(balances.get(txn.id) ?? state.balance(accountId)),
      SenderTokenId: txn.senderTokenId,
      RecipientTokenId: txn.recipientTokenId,
    })),
    StartTimeForNextTransaction: next?.dateReceived,
  }
}
