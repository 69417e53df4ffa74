import { FpsError } from '@fps-checkout/protocol'
import type { Plan } from '../policy/catalog.js'
import { DAY_MS, periodDueAt, planDates } from '../policy/plans.js'
import { type Subscription, type SubscriptionChange, stillCharges } from '../store/subscriptions.js'
import type { Order } from '../store/types.js'
import { type PaymentsContext, timestamp } from './context.js'
import { catchUp, charge, periodReference } from './operations/index.js'

/**
 * How long after a failed try a period is tried again, by try: a declined card may clear in a
 * day or a week (Stripe retries over about three weeks). After the last try the subscription is
 * cancelled.
 */
const RETRY_AFTER_DAYS = [1, 3, 7] as const

/**
 * Starts the subscription an authorized plan order signs the buyer up for, once however often it
 * is called: its first period falls due now and is charged by the order itself, or, with a free
 * trial, falls due when the trial ends.
 */
export async function subscribe(
  ctx: PaymentsContext,
  order: Order,
  plan: Plan
): Promise<Subscription> {
  if (!order.tokenId) throw new Error(`Order ${order.callerReference} has no sender token.`)
  const at = timestamp(ctx)
  const { trialEndsAt, endsAt } = planDates(plan, order.createdAt)
  const startsAt = trialEndsAt ?? at
  const { subscription } = await ctx.store.insertSubscription(
    {
      callerReference: order.callerReference,
      plan: order.item ?? '',
      every: plan.every,
      amount: order.amount,
      amountCents: order.amountCents,
      currencyCode: order.currencyCode,
      tokenId: order.tokenId,
      status: trialEndsAt ? 'trialing' : 'active',
      period: 1,
      attempt: 1,
      dueAt: startsAt,
      anchorAt: startsAt,
      endsAt,
      trialEndsAt,
      createdAt: at,
    },
    trialEndsAt
      ? `Subscribed: a free trial until ${trialEndsAt}, then ${order.amount} ${order.currencyCode} every ${plan.every}.`
      : `Subscribed: ${order.amount} ${order.currencyCode} every ${plan.every}.`
  )
  return subscription
}

/**
 * Moves a subscription on when its next try is due: charges the period (each try an order of its
 * own, whose callerReference is FPS's CallerReference, derived from the subscription, the period
 * and the try), then records how the charge went. A period is tried again only after its try
 * failed for good, so no retry, crash or second process charges a period twice.
 */
export async function advance(ctx: PaymentsContext, read: Subscription): Promise<Subscription> {
  const now = timestamp(ctx)
  if (!stillCharges(read) || read.dueAt > now) return read
  if (read.endsAt && read.dueAt >= read.endsAt) {
    return moved(ctx, read, {
      set: { status: 'ended' },
      event: 'subscription.ended',
      note: 'The subscription ended: its plan is valid no longer.',
      at: now,
    })
  }
  const reference = periodReference(read, read.period, read.attempt)
  const ordered = (await ctx.store.getOrder(reference)) ?? (await orderPeriod(ctx, read, reference))
  // on a request (a return sent again while the first one's Pay is in flight) wait for that Pay up
  // to the request's deadline, as a purchase's return does; the sweep moves on and asks again later
  const order =
    ordered.status !== 'pending'
      ? ordered
      : ctx.answerBy === undefined
        ? await catchUp(ctx, ordered)
        : await charge(ctx, ordered)
  if (order.status === 'success' || order.status === 'refunded') return charged(ctx, read, order)
  if (order.status === 'failure' || order.status === 'cancelled' || order.status === 'expired') {
    return failed(ctx, read, order)
  }
  // a card payment FPS has not finished: the sweep asks again
  return read
}

/** The order of a later period or a retry, with the subscription's token, for `advance` to charge. */
async function orderPeriod(
  ctx: PaymentsContext,
  subscription: Subscription,
  reference: string
): Promise<Order> {
  const signUp = await ctx.store.getOrder(subscription.callerReference)
  if (!signUp) throw new Error(`The order of subscription ${subscription.callerReference} is gone.`)
  const at = timestamp(ctx)
  const inserted = await ctx.store.insertOrder({
    callerReference: reference,
    status: 'pending',
    amount: subscription.amount,
    amountCents: subscription.amountCents,
    currencyCode: subscription.currencyCode,
    reason: signUp.reason,
    item: signUp.item,
    logo: undefined,
    capture: 'pay',
    checkoutUrl: '',
    idempotencyKey: undefined,
    requestHash: undefined,
    tokenId: subscription.tokenId,
    periodOf: subscription.callerReference,
    createdAt: at,
    expiresAt: at,
  })
  // another process ordered it first: its order is the one
  const order = inserted ?? (await ctx.store.getOrder(reference))
  if (!order) throw new Error(`The period order ${reference} was neither stored nor found.`)
  return order
}

/** A period paid: the next one falls due one period after this one began. */
function charged(ctx: PaymentsContext, read: Subscription, order: Order): Promise<Subscription> {
  const period = read.period + 1
  return moved(ctx, read, {
    set: {
      status: 'active',
      period,
      attempt: 1,
      dueAt: periodDueAt(read.anchorAt, read.every, period),
      chargedPeriods: read.chargedPeriods + 1,
    },
    event: 'subscription.charged',
    charge: { period: read.period, callerReference: order.callerReference, amount: order.amount },
    note: `Period ${read.period} charged: ${order.amount} ${order.currencyCode} (${order.callerReference}).`,
    at: timestamp(ctx),
  })
}

/**
 * A try failed for good: past due, tried again later; after the last try, cancelled. A token FPS
 * no longer honours ends it at once: no retry can succeed.
 */
async function failed(
  ctx: PaymentsContext,
  read: Subscription,
  order: Order
): Promise<Subscription> {
  const at = timestamp(ctx)
  const why = `Period ${read.period}, try ${read.attempt}, ${order.status} (${order.callerReference})`
  if (await tokenRevoked(ctx, read)) {
    return cancelSubscription(ctx, read, `${why}: FPS no longer honours the token.`, false)
  }
  const delayDays = RETRY_AFTER_DAYS[read.attempt - 1]
  if (delayDays === undefined) {
    return cancelSubscription(ctx, read, `${why}: cancelled, as no try is left.`)
  }
  return moved(ctx, read, {
    set: {
      status: 'past_due',
      attempt: read.attempt + 1,
      dueAt: new Date(Date.parse(at) + delayDays * DAY_MS).toISOString(),
    },
    event: read.status === 'past_due' ? undefined : 'subscription.past_due',
    note: `${why}: tried again in ${delayDays} day${delayDays === 1 ? '' : 's'}.`,
    at,
  })
}

/**
 * Cancels a subscription so nothing more is charged, then its token at FPS (`CancelToken`) unless
 * FPS cancelled it already. The store's cancel is what stops the charges; a token FPS fails to
 * cancel is never used again.
 */
export async function cancelSubscription(
  ctx: PaymentsContext,
  read: Subscription,
  note: string,
  tokenStillActive = true
): Promise<Subscription> {
  let current: Subscription | undefined = read
  while (current && stillCharges(current)) {
    const cancelled = await ctx.store.changeSubscription(current, {
      set: { status: 'cancelled' },
      event: 'subscription.cancelled',
      note,
      at: timestamp(ctx),
    })
    if (cancelled) {
      if (tokenStillActive) await cancelToken(ctx, cancelled)
      return cancelled
    }
    current = await ctx.store.getSubscription(read.callerReference)
  }
  return current ?? read
}

async function cancelToken(ctx: PaymentsContext, subscription: Subscription): Promise<void> {
  try {
    await ctx.fps.call('CancelToken', {
      TokenId: subscription.tokenId,
      ReasonText: 'Subscription cancelled',
    })
  } catch (error) {
    ctx.log.warn("the cancelled subscription's token could not be cancelled at FPS", {
      subscription: subscription.callerReference,
      error,
    })
  }
}

/**
 * Ends the subscription whose token FPS says was cancelled (the buyer revoked it on Amazon's
 * site), once FPS confirms it under our own key: a signed notification proves FPS sent it, not
 * that it is about our token. Answers whether a subscription ended.
 */
export async function tokenCancelled(ctx: PaymentsContext, tokenId: string): Promise<boolean> {
  const subscription = await ctx.store.findSubscriptionByToken(tokenId)
  if (!subscription || !(await tokenRevoked(ctx, subscription))) return false
  const note = 'FPS cancelled the token: the buyer revoked it.'
  return (await cancelSubscription(ctx, subscription, note, false)).status === 'cancelled'
}

/** Whether FPS, asked under our own key, no longer holds the subscription's token active. */
async function tokenRevoked(ctx: PaymentsContext, subscription: Subscription): Promise<boolean> {
  try {
    const { Token: tokens = [] } = await ctx.fps.call('GetTokenByCaller', {
      TokenId: subscription.tokenId,
    })
    return !tokens.some((token) => token.TokenStatus === 'Active')
  } catch (error) {
    if (error instanceof FpsError && !error.retriable) return true
    throw error
  }
}

/** Applies a change, or answers the subscription as another process left it. */
async function moved(
  ctx: PaymentsContext,
  read: Subscription,
  change: SubscriptionChange
): Promise<Subscription> {
  return (
    (await ctx.store.changeSubscription(read, change)) ??
    (await ctx.store.getSubscription(read.callerReference)) ??
    read
  )
}
