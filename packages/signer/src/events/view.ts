import type { EventRecord, SignerEvent } from '../http/contract.js'
import { orderView } from '../http/views.js'
import { formatCents } from '../money.js'
import type { DeliveryAttempt, StoredEvent } from '../store/events.js'

/** An event as the merchant's app gets it: what happened, when, and the order as it then stood. */
export function eventView(event: StoredEvent): SignerEvent {
  const head = { id: event.id, timestamp: event.at }
  const order = orderView(event.order)
  if (event.type !== 'order.refunded') return { ...head, type: event.type, data: { order } }
  if (!event.refund) throw new Error(`The refund event ${event.id} has no refund.`)
  const refund = { amount: formatCents(event.refund.amountCents), full: event.refund.full }
  return { ...head, type: event.type, data: { order, refund } }
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
