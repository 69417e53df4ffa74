import type {
  EventRecord,
  OrderEventType,
  SignerEvent,
  SubscriptionEventType,
} from '../http/contract.js'
import { orderView, subscriptionView } from '../http/views.js'
import { formatCents } from '../money.js'
import type { DeliveryAttempt, StoredEvent } from '../store/events.js'

/** An event as the merchant's app gets it: what happened, when, and the order as it then stood. */
export function eventView(event: StoredEvent): SignerEvent {
  const head = { id: event.id, timestamp: event.at }
  const order = orderView(event.order)
  const { type } = event
  if (type === 'order.refunded') {
    if (!event.refund) throw new Error(`The refund event ${event.id} has no refund.`)
    const refund = { amount: formatCents(event.refund.amountCents), full: event.refund.full }
    return { ...head, type, data: { order, refund } }
  }
  if (!type.startsWith('subscription.')) {
    return { ...head, type: type as Exclude<OrderEventType, 'order.refunded'>, data: { order } }
  }
  if (!event.subscription) throw new Error(`The subscription event ${event.id} has no snapshot.`)
  const subscription = subscriptionView(event.subscription.subscription)
  if (type !== 'subscription.charged') {
    return {
      ...head,
      type: type as Exclude<SubscriptionEventType, 'subscription.charged'>,
      data: { order, subscription },
    }
  }
  const { charge } = event.subscription
  if (!charge) throw new Error(`The charge event ${event.id} has no charge.`)
  return { ...head, type, data: { order, subscription, charge } }
}

/** An event with its delivery and its tries (from `attempts`, which may hold other events'). */
export function eventRecord(event: StoredEvent, attempts: readonly DeliveryAttempt[]): EventRecord {
  return {
    event: eventView(event),
    delivery: {
      state: event.state,
      attempts: attempts
        .filter((attempt) => attempt.eventId === event.id)
        .map(({ at, durationMs, statusCode, error }) => ({
          at,
          durationMs,
          ...(statusCode === undefined ? {} : { statusCode }),
          ...(error === undefined ? {} : { error }),
        })),
      ...(event.state === 'pending' ? { nextAttemptAt: event.nextAttemptAt } : {}),
      ...(event.deliveredAt === undefined ? {} : { deliveredAt: event.deliveredAt }),
    },
  }
}
