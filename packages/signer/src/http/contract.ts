/**
 * @module The wire contract between the signer and the browser (docs/http-api.md), as types and
 * one list of statuses. `@fps-checkout/elements` imports it with `import type`, so a change here
 * fails the elements' type check instead of rendering wrongly.
 */

/** Every stable machine code the signer answers with, and its HTTP status (see docs/http-api.md). */
export const ERROR_STATUS = {
  invalid_request: 400,
  invalid_return: 400,
  unauthorized: 401,
  origin_not_allowed: 403,
  signature_invalid: 403,
  return_not_bound: 403,
  not_found: 404,
  order_not_found: 404,
  refund_request_not_found: 404,
  event_not_found: 404,
  subscription_not_found: 404,
  allowance_not_found: 404,
  idempotency_conflict: 409,
  invalid_order_state: 409,
  refund_already_requested: 409,
  refund_request_decided: 409,
  payload_too_large: 413,
  unknown_item: 422,
  price_mismatch: 422,
  amount_out_of_bounds: 422,
  invalid_amount: 422,
  logo_not_allowed: 422,
  rate_limited: 429,
  internal_error: 500,
  invalid_config: 500,
  body_already_read: 500,
  upstream_error: 502,
  store_unavailable: 503,
  operation_in_flight: 503,
} as const satisfies Record<string, number>

/** A stable machine code a client or an operator can branch on. */
export type ErrorCode = keyof typeof ERROR_STATUS

/** Every status an order can be in, in the order an order usually passes them. */
export const ORDER_STATUSES = [
  'created',
  'pending',
  // a plan's sign-up whose first charge waits for the end of its free trial
  'authorized',
  'reserved',
  'success',
  'refunded',
  'failure',
  'cancelled',
  'expired',
] as const

/** Where an order stands; the browser sees exactly these. */
export type OrderStatus = (typeof ORDER_STATUSES)[number]

/** What `<fps-buy-button>` posts to `{signer}/checkout`. */
export interface CheckoutRequest {
  amount: string
  currencyCode: 'USD'
  reason: string
  logo?: string | undefined
  item?: string | undefined
}

/** The signer's answer to a checkout: where the buyer goes next, and the order it is for. */
export interface CheckoutResponse {
  url: string
  callerReference: string
  expiresAt: string
  /** The order's access token (`Authorization: Bearer …`): look it up, or cancel it unpaid. */
  accessToken: string
}

/** One step in an order's life, as its history lists it. */
export interface HistoryEntry {
  at: string
  status: OrderStatus
  note: string
}

/** An order as the browser and the admin API see it: no token, no idempotency data, no signed URL. */
export interface OrderView {
  callerReference: string
  status: OrderStatus
  amount: string
  currencyCode: string
  reason: string
  item?: string
  transactionId?: string
  refundedAmount?: string
  createdAt: string
  updatedAt: string
  history?: HistoryEntry[]
  /** In `GET /orders/:callerReference`: the buyer's refund request, once there is one. */
  refundRequest?: RefundRequestView
  /** For a plan's order (its first period's charge): the subscription it started. */
  subscription?: SubscriptionView
}

/**
 * Where a subscription stands: `trialing` charges nothing until its free trial ends, `past_due`
 * still retries the period that failed.
 */
export const SUBSCRIPTION_STATUSES = [
  'trialing',
  'active',
  'past_due',
  'cancelled',
  'ended',
] as const

/** Where a subscription stands. */
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number]

/** A subscription to a plan of the catalog: what it charges, how often, and what comes next. */
export interface SubscriptionView {
  /** The plan's catalog item. */
  plan: string
  /** FPS's `recurringPeriod`, like `1 Month`. */
  every: string
  amount: string
  currencyCode: string
  status: SubscriptionStatus
  /** Periods charged so far. */
  chargedPeriods: number
  /**
   * When the next charge (or the retry of a failed one) is made; present exactly while the
   * subscription still charges (`trialing`, `active`, `past_due`).
   */
  nextChargeAt?: string
  /** With a free trial: when it ends, and the first period is charged. */
  trialEndsAt?: string
  createdAt: string
  updatedAt: string
}

/**
 * A buyer's allowance, as the browser that holds it sees it (`GET /allowances`): the shop may
 * charge it in one click until `remaining` is spent or it is revoked.
 */
export interface AllowanceView {
  /** The order whose checkout asked for it; revoke it by this id. */
  id: string
  /** The catalog's allowance. */
  allowance: string
  status: 'active' | 'spent' | 'revoked'
  limit: string
  spent: string
  remaining: string
  currencyCode: string
  /**
   * With a limit per period, what is left of it now, as FPS counts it (`GetTokenUsage`): an
   * amount or a number of purchases. Absent when FPS could not be asked.
   */
  leftThisPeriod?: { amount: string } | { count: number }
  createdAt: string
}

/** One page of subscriptions, newest first; `next` goes back as `cursor` for the next page. */
export interface SubscriptionsPage {
  subscriptions: (SubscriptionView & { callerReference: string })[]
  next?: string
}

/** One period's charge, as `subscription.charged` tells it. */
export interface PeriodChargeView {
  /** The period, from 1. */
  period: number
  /** The order of the charge: its callerReference is FPS's CallerReference too. */
  callerReference: string
  amount: string
}

/** Where a buyer's refund request stands: waiting for the merchant, or decided. */
export type RefundRequestStatus = 'open' | 'approved' | 'declined'

/** A buyer's request to have an order refunded, as the buyer and the admin API see it. */
export interface RefundRequestView {
  id: string
  callerReference: string
  /** What the order had left to refund when the buyer asked: what an approval refunds. */
  amount: string
  currencyCode: string
  status: RefundRequestStatus
  /** The buyer's words. */
  reason?: string
  /** Who decided: the merchant, or the refund window (`FPS_REFUND_WINDOW_DAYS`) by itself. */
  decidedBy?: 'merchant' | 'policy'
  /** The merchant's words on a declined request. */
  note?: string
  createdAt: string
  decidedAt?: string
}

/** Every event the signer tells the merchant's app about, one per change of an order's state. */
export const ORDER_EVENT_TYPES = [
  'order.paid',
  'order.reserved',
  'order.settled',
  'order.refunded',
  'order.failed',
  'order.cancelled',
  'order.expired',
] as const

/** Every event of a subscription, one per change of its state, on the order that started it. */
export const SUBSCRIPTION_EVENT_TYPES = [
  'subscription.created',
  'subscription.charged',
  'subscription.past_due',
  'subscription.cancelled',
  'subscription.ended',
] as const

/** Every event the signer tells the merchant's app about. */
export const EVENT_TYPES = [...ORDER_EVENT_TYPES, ...SUBSCRIPTION_EVENT_TYPES] as const

/** What happened to an order or a subscription. */
export type EventType = (typeof EVENT_TYPES)[number]

/** What happened to an order. */
export type OrderEventType = (typeof ORDER_EVENT_TYPES)[number]

/** What happened to a subscription. */
export type SubscriptionEventType = (typeof SUBSCRIPTION_EVENT_TYPES)[number]

/** What one refund gave back, and whether the order's whole amount is now refunded. */
export interface RefundView {
  amount: string
  full: boolean
}

/**
 * An event as `onEvent` gets it and a webhook's body carries it: a stable id (the
 * `webhook-id`, to deduplicate by), the time of the change, and the order as the change left it.
 */
export type SignerEvent = {
  id: string
  timestamp: string
} & (
  | {
      type: Exclude<EventType, 'order.refunded' | SubscriptionEventType>
      data: { order: OrderView }
    }
  | { type: 'order.refunded'; data: { order: OrderView; refund: RefundView } }
  | {
      type: Exclude<SubscriptionEventType, 'subscription.charged'>
      data: { order: OrderView; subscription: SubscriptionView }
    }
  | {
      type: 'subscription.charged'
      data: { order: OrderView; subscription: SubscriptionView; charge: PeriodChargeView }
    }
)

/** Where an event's delivery stands: still being tried, delivered, or given up after 3 days. */
export type DeliveryState = 'pending' | 'delivered' | 'failed'

/** One try at delivering an event. */
export interface DeliveryAttemptView {
  at: string
  durationMs: number
  /** The webhook endpoint's HTTP status, when it answered. */
  statusCode?: number
  /** Why the try failed: the endpoint's status, no answer in time, or the handler's error. */
  error?: string
}

/** An event with its delivery, as `GET /admin/events` lists it. */
export interface EventRecord {
  event: SignerEvent
  delivery: {
    state: DeliveryState
    attempts: DeliveryAttemptView[]
    /** While pending: when it is tried next. */
    nextAttemptAt?: string
    deliveredAt?: string
  }
}

/** One page of events, newest first; `next` goes back as `cursor` for the next page. */
export interface EventsPage {
  events: EventRecord[]
  next?: string
}

/** What the buyer did on the payment pages when the return authorized nothing. */
export interface Returned {
  /** FPS's return status code: `A` (cancelled), `SE`, `CE`, `PE`, `NP`, `NM`. */
  status: string
  outcome: string
  message: string
}

/**
 * The signer's answer to `POST /return`: the order and the token that looks it up later, or, when
 * the buyer authorized nothing, only what happened (the order stays open; nothing was charged).
 */
export type ReturnResponse = { order: OrderView; accessToken: string } | { returned: Returned }

/**
 * The merchant's FPS balance (`GET /admin/account`, from `GetAccountBalance`), as decimal strings
 * in `currencyCode`.
 */
export interface AccountView {
  currencyCode: string
  /** What is available plus what pending payments will bring in. */
  total: string
  pendingIn: string
  /** What pending refunds hold back. */
  pendingOut: string
  /** Available to withdraw. */
  disburse: string
  /** Available to refund from. */
  refund: string
}

/** One transaction of the merchant's FPS account (`GET /admin/activity`, from `GetAccountActivity`). */
export interface ActivityEntry {
  transactionId: string
  /** FPS's `FPSOperation`: `Pay`, `Reserve`, `Settle`, `Refund`, … */
  operation: string
  /** FPS's `TransactionStatus`: `Success`, `Pending`, `Reserved`, `Failure`, `Cancelled`. */
  status: string
  amount: string
  currencyCode: string
  receivedAt: string
  completedAt?: string
  /** The CallerReference the transaction was made with (an order's, or one of its refunds'). */
  callerReference?: string
  /** The transaction a Refund or Settle acted on. */
  originalTransactionId?: string
}

/** One page of account activity, oldest first; `next` goes back as `cursor` for the next page. */
export interface ActivityPage {
  transactions: ActivityEntry[]
  next?: string
}

/** The body of every error answer; `code` is stable, `message` is for people. */
export interface ErrorResponse {
  error: { code: ErrorCode; message: string; retriable?: boolean }
}
