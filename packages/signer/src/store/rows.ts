import type { Row } from './db.js'
import type {
  CaptureMode,
  HistoryEntry,
  Operation,
  OperationKind,
  OperationState,
  Order,
  OrderStatus,
} from './types.js'

/** Maps `orders` rows to orders; the column names are the only place snake case appears. */
export function toOrder(row: Row): Order {
  return {
    callerReference: text(row.caller_reference),
    status: text(row.status) as OrderStatus,
    amount: text(row.amount),
    amountCents: Number(row.amount_cents),
    currencyCode: text(row.currency_code),
    reason: text(row.reason),
    item: optional(row.item),
    logo: optional(row.logo),
    capture: text(row.capture) as CaptureMode,
    checkoutUrl: text(row.checkout_url),
    idempotencyKey: optional(row.idempotency_key),
    requestHash: optional(row.request_hash),
    tokenId: optional(row.token_id),
    transactionId: optional(row.transaction_id),
    refundedCents: Number(row.refunded_cents),
    periodOf: optional(row.period_of),
    createdAt: text(row.created_at),
    updatedAt: text(row.updated_at),
    expiresAt: text(row.expires_at),
  }
}

/** Maps `operations` rows to operations. */
export function toOperation(row: Row): Operation {
  return {
    key: text(row.key),
    callerReference: text(row.caller_reference),
    kind: text(row.kind) as OperationKind,
    fpsCallerReference: optional(row.fps_caller_reference),
    amountCents: row.amount_cents === null ? undefined : Number(row.amount_cents),
    request: text(row.request),
    state: text(row.state) as OperationState,
    attempts: Number(row.attempts),
    leaseUntil: optional(row.lease_until),
    transactionId: optional(row.transaction_id),
    transactionStatus: optional(row.transaction_status),
    requestId: optional(row.request_id),
    errorCode: optional(row.error_code),
    errorMessage: optional(row.error_message),
    createdAt: text(row.created_at),
    updatedAt: text(row.updated_at),
  }
}

/** Maps `order_history` rows to history lines. */
export function toHistoryEntry(row: Row): HistoryEntry {
  return { at: text(row.at), status: text(row.status) as OrderStatus, note: text(row.note) }
}

function text(value: unknown): string {
  return String(value)
}

/** A nullable column as an optional field. */
export function optional(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : String(value)
}
