import type {
  PeriodChargeView,
  SubscriptionEventType,
  SubscriptionStatus,
} from '../http/contract.js'

export type { SubscriptionStatus } from '../http/contract.js'

/**
 * A subscription to a plan: the Recurring token its buyer installed and its schedule. It is keyed
 * by the order that started it, whose charge is its first period's.
 */
export interface Subscription {
  callerReference: string
  plan: string
  /** FPS's `recurringPeriod`, like `1 Month`. */
  every: string
  amount: string
  amountCents: number
  currencyCode: string
  tokenId: string
  status: SubscriptionStatus
  /** The period charged next, from 1. */
  period: number
  /** The try at that period, from 1: each try is an order of its own, so FPS sees a new CallerReference. */
  attempt: number
  /** When that try is due. */
  dueAt: string
  /** When period 1 began: period n falls due `n - 1` periods later, however late the sweep ran. */
  anchorAt: string
  /** After this, no period is charged (the plan's `validity`). */
  endsAt: string | undefined
  /**
   * With a free trial, when it ends and period 1 begins (its `anchorAt`): the sign-up order only
   * authorized, so period 1 is charged by an order of its own.
   */
  trialEndsAt: string | undefined
  chargedPeriods: number
  createdAt: string
  updatedAt: string
}

/** The statuses of a subscription that still charges: in its trial, active, or retrying a period. */
export const CHARGING_STATUSES: readonly SubscriptionStatus[] = ['trialing', 'active', 'past_due']

/** Whether a subscription still charges: in its trial, active, or retrying a period that failed. */
export function stillCharges(subscription: Pick<Subscription, 'status'>): boolean {
  return CHARGING_STATUSES.includes(subscription.status)
}

/** The fields a subscription starts with. */
export type NewSubscription = Omit<Subscription, 'chargedPeriods' | 'updatedAt'>

/** What a change sets; unnamed fields stay. */
export type SubscriptionUpdate = Partial<
  Pick<Subscription, 'status' | 'period' | 'attempt' | 'dueAt' | 'chargedPeriods'>
>

/** A change of a subscription, and what it tells. */
export interface SubscriptionChange {
  set: SubscriptionUpdate
  /** The event the change writes, if any, with the subscription as the change left it. */
  event: SubscriptionEventType | undefined
  /** For `subscription.charged`: the period's charge. */
  charge?: PeriodChargeView
  /** The line the change adds to its order's history. */
  note: string
  at: string
}

/** What an event of a subscription keeps: the subscription as its change left it, and the charge. */
export interface SubscriptionSnapshot {
  subscription: Subscription
  charge?: PeriodChargeView
}

/** Subscriptions; each change writes its history line and event on its order in its transaction. */
export interface SubscriptionStore {
  /**
   * Stores a subscription with its `subscription.created` event, once per order: a second call
   * answers the stored one, `inserted` false.
   */
  insertSubscription(
    subscription: NewSubscription,
    note: string
  ): Promise<{ subscription: Subscription; inserted: boolean }>
  getSubscription(callerReference: string): Promise<Subscription | undefined>
  findSubscriptionByToken(tokenId: string): Promise<Subscription | undefined>
  /** Subscriptions that still charge whose next try is due by `now`, the longest due first. */
  dueSubscriptions(now: string, limit: number): Promise<Subscription[]>
  /** Newest first, below the cursor `before` (a callerReference). */
  listSubscriptions(query: {
    status?: SubscriptionStatus | undefined
    before?: string | undefined
    limit: number
  }): Promise<Subscription[]>
  /**
   * Applies a change to the subscription as it was read: only while it still has that status,
   * period and try, so of two processes moving the same period on one does. Undefined if it had
   * moved on.
   */
  changeSubscription(
    read: Subscription,
    change: SubscriptionChange
  ): Promise<Subscription | undefined>
}
