import type { HistoryEntry, OrderStatus } from '../http/contract.js'
import type { AllowanceStore } from './allowances.js'
import type { EventStore } from './events.js'
import type { RefundRequestStore } from './refund-requests.js'
import type { SubscriptionStore } from './subscriptions.js'

export type { HistoryEntry, OrderStatus } from '../http/contract.js'

/** Whether the buyer's authorization is charged at once (`Pay`) or held for settling (`Reserve`). */
export type CaptureMode = 'pay' | 'reserve'

/** One purchase: what was priced at checkout, and what FPS said since. */
export interface Order {
  callerReference: string
  status: OrderStatus
  /** The amount charged, decided by the price policy at checkout; never the browser's later say. */
  amount: string
  amountCents: number
  currencyCode: string
  reason: string
  item: string | undefined
  logo: string | undefined
  capture: CaptureMode
  /** The signed CBUI URL, kept so a repeated Idempotency-Key answers the same one. */
  checkoutUrl: string
  idempotencyKey: string | undefined
  /** A digest of the checkout body, to tell a replay from a conflicting reuse of the key. */
  requestHash: string | undefined
  tokenId: string | undefined
  transactionId: string | undefined
  refundedCents: number
  /** A subscription's later period or retry: the order that started the subscription. */
  periodOf: string | undefined
  createdAt: string
  updatedAt: string
  expiresAt: string
}

/**
 * The fields a checkout fills in; the store adds the rest. A subscription's later period is
 * ordered with the token the buyer installed at sign-up.
 */
export type NewOrder = Omit<
  Order,
  'tokenId' | 'transactionId' | 'refundedCents' | 'periodOf' | 'updatedAt'
> & {
  tokenId?: string | undefined
  periodOf?: string | undefined
}

/** One line of an order's history. */

/**
 * A conditional status change: it applies only while the order is in one of `from`, so racing
 * processes and out-of-order notifications cannot move an order backwards.
 */
export interface Transition {
  from: readonly OrderStatus[]
  to: OrderStatus
  note: string
  at: string
  set?: { tokenId?: string; transactionId?: string }
  /**
   * The key of the refund operation whose success this change applies: each refund applies once,
   * and its event carries its amount. Required for a move to `refunded`.
   */
  refund?: string
}

/** The money-moving FPS calls; each is one row in `operations`. */
export type OperationKind = 'pay' | 'reserve' | 'settle' | 'refund' | 'cancel'

/** `prepared`: signed and stored, maybe sent; `done`: FPS answered; `failed`: FPS refused it for good. */
export type OperationState = 'prepared' | 'done' | 'failed'

/** One money-moving FPS call, stored before it is sent so it can be resent unchanged. */
export interface Operation {
  key: string
  callerReference: string
  kind: OperationKind
  /** The CallerReference sent to FPS, unique across operations (Pay, Reserve, Refund). */
  fpsCallerReference: string | undefined
  amountCents: number | undefined
  /** The signed request, JSON, exactly as sent. */
  request: string
  state: OperationState
  attempts: number
  leaseUntil: string | undefined
  transactionId: string | undefined
  transactionStatus: string | undefined
  requestId: string | undefined
  errorCode: string | undefined
  errorMessage: string | undefined
  createdAt: string
  updatedAt: string
}

/** The fields an operation starts with. */
export type NewOperation = Pick<
  Operation,
  'key' | 'callerReference' | 'kind' | 'fpsCallerReference' | 'amountCents' | 'request'
> & { at: string }

/** What FPS answered to an operation. */
export interface OperationOutcome {
  state: 'done' | 'failed'
  at: string
  transactionId?: string
  transactionStatus?: string
  requestId?: string
  errorCode?: string
  errorMessage?: string
}

/** The signer's persistence; every uniqueness rule lives in the database, not in process memory. */
export interface Store extends EventStore, RefundRequestStore, SubscriptionStore, AllowanceStore {
  /** Applies pending schema migrations; safe to call from several processes at once. */
  migrate(): Promise<void>
  close(): Promise<void>
  /**
   * Commits one small write, flushed to disk: resolves when the store can take writes now, rejects
   * with a `StoreUnavailableError` when it cannot (full disk, read-only, locked, server down).
   */
  probeWrite(at: string): Promise<void>

  /** Inserts an order; undefined when its idempotency key is taken (look that order up instead). */
  insertOrder(order: NewOrder): Promise<Order | undefined>
  getOrder(callerReference: string): Promise<Order | undefined>
  getOrderByIdempotencyKey(key: string): Promise<Order | undefined>
  /** Newest first (or oldest, for the sweep); `updatedBefore` picks orders untouched since then. */
  listOrders(query: {
    status?: readonly OrderStatus[]
    updatedBefore?: string
    /** Orders created in this range, both ends included. */
    created?: { from: string; to: string }
    /** Oldest first: the orders after this one, by creation then callerReference (the next page). */
    after?: Pick<Order, 'createdAt' | 'callerReference'>
    /** Newest first: the orders after this one in that order (the next page). */
    before?: Pick<Order, 'createdAt' | 'callerReference'>
    oldestFirst?: boolean
    limit: number
  }): Promise<Order[]>
  /**
   * Applies a transition and appends its history line and its event (see `eventTypeOf`)
   * atomically; undefined if it did not apply.
   */
  transition(callerReference: string, change: Transition): Promise<Order | undefined>
  history(callerReference: string): Promise<HistoryEntry[]>
  /** Adds `deltaCents` to the refunded total unless that would exceed the order's amount or go negative. */
  adjustRefunded(callerReference: string, deltaCents: number): Promise<boolean>

  /** Stores an access token's hash; storing the same hash again changes nothing. */
  addAccessToken(callerReference: string, tokenHash: string, at: string): Promise<void>
  hasAccessToken(callerReference: string, tokenHash: string): Promise<boolean>

  /** Inserts an operation, or returns the one already stored under its key. */
  insertOperation(operation: NewOperation): Promise<{ operation: Operation; inserted: boolean }>
  /**
   * Inserts a refund and adds its amount to the order's refunded total in one transaction, so no
   * crash leaves one without the other; undefined if the order has not that much left to refund,
   * the stored operation (not inserted) if its key is taken.
   */
  insertRefund(
    refund: NewOperation & { amountCents: number }
  ): Promise<{ operation: Operation; inserted: boolean } | undefined>
  getOperation(key: string): Promise<Operation | undefined>
  /** The operation FPS knows by this CallerReference. */
  findOperationByReference(fpsCallerReference: string): Promise<Operation | undefined>
  /** The operations that produced (or, for Cancel, acted on) this transaction. */
  findOperationsByTransaction(transactionId: string): Promise<Operation[]>
  listOperations(callerReference: string): Promise<Operation[]>
  /** Prepared operations whose lease has lapsed: sent by a process that died or gave up. */
  listStalledOperations(now: string, limit: number): Promise<Operation[]>
  /** Takes the right to send a prepared operation until `leaseUntil`; undefined if another holds it. */
  claimOperation(key: string, now: string, leaseUntil: string): Promise<Operation | undefined>
  /**
   * Extends the lease of the holder that claimed the operation as its attempt `attempts`, while
   * its send is in flight; false if the operation is finished or another process claimed it.
   */
  renewOperation(key: string, attempts: number, leaseUntil: string): Promise<boolean>
  /** Replaces the stored request of a prepared operation (signed again with a fresh timestamp or key). */
  replaceRequest(key: string, request: string, at: string): Promise<void>
  /** Records FPS's answer; undefined if the operation was already finished. */
  finishOperation(key: string, outcome: OperationOutcome): Promise<Operation | undefined>
  /** Gives up the lease after a retriable failure so the next attempt may send again. */
  releaseOperation(key: string, at: string): Promise<void>
  /** Moves a finished operation's transaction status on, unless it is already final; true if it moved. */
  updateTransactionStatus(key: string, status: string, at: string): Promise<boolean>

  /** Records a notification by its dedupe key; false if it was seen before. */
  recordNotification(
    key: string,
    callerReference: string | undefined,
    payload: string,
    at: string
  ): Promise<boolean>
  /** Drops a recorded notification that could not be applied, so FPS's next copy is applied. */
  forgetNotification(key: string): Promise<void>
}
