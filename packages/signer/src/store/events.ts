import type { DeliveryState, EventType, OrderEventType, OrderStatus } from '../http/contract.js'
import type { ViewedOrder } from '../http/views.js'
import type { SubscriptionSnapshot } from './subscriptions.js'

/**
 * The event each status writes when an order reaches it. `created`, `pending` and `authorized`
 * tell the merchant's app nothing to act on; a success reached from a reservation is its
 * settlement.
 */
const EVENT_OF_STATUS: Record<OrderStatus, OrderEventType | undefined> = {
  created: undefined,
  pending: undefined,
  // a free trial's sign-up: its subscription.created event tells
  authorized: undefined,
  reserved: 'order.reserved',
  success: 'order.paid',
  refunded: 'order.refunded',
  failure: 'order.failed',
  cancelled: 'order.cancelled',
  expired: 'order.expired',
}

/** The event a change of status writes, if any: the one mapping, applied by the store's `transition`. */
export function eventTypeOf(change: {
  from: readonly OrderStatus[]
  to: OrderStatus
}): OrderEventType | undefined {
  if (change.to === 'success' && change.from.every((status) => status === 'reserved')) {
    return 'order.settled'
  }
  return EVENT_OF_STATUS[change.to]
}

/** An event in the outbox: what happened, the order as the change left it, and its delivery. */
export interface StoredEvent {
  id: string
  type: EventType
  at: string
  /** The change's place in its order's history: an order's events are delivered in this order. */
  seq: number
  order: ViewedOrder
  /** For `order.refunded`: the refund's amount, and whether the order is now refunded in full. */
  refund: { amountCents: number; full: boolean } | undefined
  /** For a subscription's events: the subscription as the change left it, and the period charged. */
  subscription: SubscriptionSnapshot | undefined
  state: DeliveryState
  /** Tries so far, every one counted, redeliveries included. */
  attempts: number
  /** Failed tries since the delivery began (or was asked again): the backoff's exponent. */
  failures: number
  nextAttemptAt: string
  /** When the first try was made (since a redelivery, if any): a webhook is given up 3 days after. */
  deliverSince: string | undefined
  leaseUntil: string | undefined
  deliveredAt: string | undefined
}

/** One try at delivering an event, as recorded. */
export interface DeliveryAttempt {
  eventId: string
  attempt: number
  at: string
  durationMs: number
  statusCode: number | undefined
  error: string | undefined
}

/** Where an event goes after a try: delivered, tried again at `nextAttemptAt`, or given up. */
export type NextStep =
  | { state: 'delivered'; at: string }
  | { state: 'pending'; nextAttemptAt: string }
  | { state: 'failed' }

/** Which events `listEvents` answers: newest first, below the cursor `before` (an event id). */
export interface EventQuery {
  callerReference?: string | undefined
  type?: EventType | undefined
  before?: string | undefined
  limit: number
}

/**
 * The outbox half of the store. Events are written by `transition` itself, in its transaction;
 * these read them and keep their delivery, one try at a time across processes by a lease.
 */
export interface EventStore {
  listEvents(query: EventQuery): Promise<StoredEvent[]>
  getEvent(id: string): Promise<StoredEvent | undefined>
  /** The tries at these events, oldest first. */
  listAttempts(eventIds: readonly string[]): Promise<DeliveryAttempt[]>
  /**
   * Pending events due by `now` and not leased: of each order only the first one pending, so an
   * order's events go out in order.
   */
  dueEvents(now: string, limit: number): Promise<StoredEvent[]>
  /**
   * Takes the right to try an event until `leaseUntil` (a first try starts its 3 days); undefined
   * if it is not due or is held.
   */
  claimEvent(id: string, now: string, leaseUntil: string): Promise<StoredEvent | undefined>
  /** Extends the lease of the try numbered `attempts`; false if another has claimed it since. */
  renewEvent(id: string, attempts: number, leaseUntil: string): Promise<boolean>
  /**
   * Records a try and moves the event on: delivered whoever tried it; retried or given up only
   * by the holder of that try, so a lapsed holder cannot reschedule another's.
   */
  recordAttempt(attempt: DeliveryAttempt, next: NextStep): Promise<void>
  /** Makes an event due again at `at`, its backoff and 3 days starting over; undefined if unknown. */
  redeliverEvent(id: string, at: string): Promise<StoredEvent | undefined>
}
