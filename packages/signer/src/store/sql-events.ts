import type { DeliveryState, EventType, OrderStatus } from '../http/contract.js'
import { type Db, type Row, type SqlValue, sql } from './db.js'
import { type DeliveryAttempt, type EventStore, eventTypeOf, type StoredEvent } from './events.js'
import { optional } from './rows.js'
import { all, first, placeholders } from './sql.js'
import type { SubscriptionSnapshot } from './subscriptions.js'
import type { Transition } from './types.js'

/** An event is first of its order to go when no earlier event of that order is still pending. */
const FIRST_OF_ITS_ORDER = `NOT EXISTS (SELECT 1 FROM order_events earlier
  WHERE earlier.caller_reference = order_events.caller_reference AND earlier.state = 'pending'
    AND earlier.seq < order_events.seq)`

/**
 * The statements a transition adds to its transaction so that it writes its event, and applies
 * a refund's success once. The refund is claimed first (a row keyed by its operation), the order
 * moves only if this transaction holds that claim, and the claim is given back if the order did
 * not move: a second report of the same refund, even at the same moment from another process,
 * moves nothing.
 */
export function outboxWrites(event: string, callerReference: string, change: Transition) {
  const type = eventTypeOf(change)
  if (type === 'order.refunded' && !change.refund) {
    throw new Error('A move to refunded names the refund operation it applies.')
  }
  const refund = change.refund
  return {
    before: refund
      ? [
          sql(
            `INSERT INTO applied_refunds (operation_key, caller_reference, amount_cents, event_id)
             SELECT key, caller_reference, amount_cents, ? FROM operations
             WHERE key = ? AND kind = 'refund' AND caller_reference = ?
             ON CONFLICT DO NOTHING`,
            event,
            refund,
            callerReference
          ),
        ]
      : [],
    /** Appended to the order's conditional update. */
    condition: refund
      ? sql(' AND EXISTS (SELECT 1 FROM applied_refunds WHERE event_id = ?)', event)
      : sql(''),
    after: [
      ...(type ? [eventLine(event, callerReference, type, change.at)] : []),
      ...(refund
        ? [
            sql(
              `DELETE FROM applied_refunds WHERE event_id = ?
               AND NOT EXISTS (SELECT 1 FROM orders WHERE caller_reference = ? AND last_event = ?)`,
              event,
              callerReference,
              event
            ),
          ]
        : []),
    ],
  }
}

/**
 * The event of a change, written only if the change with this event id took effect, with the
 * order as it left it and, for a refund, its amount and whether the refunds applied so far
 * cover the order's whole amount; a subscription's event keeps its snapshot too.
 */
export function eventLine(
  event: string,
  callerReference: string,
  type: EventType,
  at: string,
  subscription: SubscriptionSnapshot | null = null
) {
  return sql(
    `INSERT INTO order_events (id, caller_reference, seq, type, at, status, amount, currency_code,
       reason, item, transaction_id, refunded_cents, created_at, refund_cents, refund_full,
       next_attempt_at, subscription)
     SELECT ?, orders.caller_reference, orders.history_count, ?, ?, orders.status, orders.amount,
       orders.currency_code, orders.reason, orders.item, orders.transaction_id,
       orders.refunded_cents, orders.created_at, refund.amount_cents,
       CASE WHEN refund.amount_cents IS NULL THEN NULL
         WHEN (SELECT SUM(applied.amount_cents) FROM applied_refunds applied
           WHERE applied.caller_reference = orders.caller_reference) >= orders.amount_cents
         THEN 1 ELSE 0 END,
       ?, ?
     FROM orders LEFT JOIN applied_refunds refund ON refund.event_id = orders.last_event
     WHERE orders.caller_reference = ? AND orders.last_event = ?`,
    event,
    type,
    at,
    at,
    subscription && JSON.stringify(subscription),
    callerReference,
    event
  )
}

/**
 * The outbox's queries. Claims, renewals and tries need only survive a crash of the signer: one
 * a power cut takes back is tried again, and events are delivered at least once anyway.
 */
export function eventQueries(db: Db): EventStore {
  const one = first(db)
  const recoverable = first(db, 'os')
  const many = all(db)
  return {
    listEvents({ callerReference, type, before, limit }) {
      const where: string[] = []
      const args: SqlValue[] = []
      for (const [column, value] of [
        ['caller_reference = ?', callerReference],
        ['type = ?', type],
        ['id < ?', before],
      ] as const) {
        if (value === undefined) continue
        where.push(column)
        args.push(value)
      }
      const filter = where.length ? `WHERE ${where.join(' AND ')}` : ''
      return many(
        toEvent,
        `SELECT * FROM order_events ${filter} ORDER BY id DESC LIMIT CAST(? AS INTEGER)`,
        ...args,
        limit
      )
    },

    async getEvent(id) {
      const row = await one('SELECT * FROM order_events WHERE id = ? LIMIT 1', id)
      return row ? toEvent(row) : undefined
    },

    async listAttempts(eventIds) {
      if (eventIds.length === 0) return []
      return many(
        toAttempt,
        `SELECT * FROM event_attempts WHERE event_id IN (${placeholders(eventIds.length)})
         ORDER BY event_id, attempt`,
        ...eventIds
      )
    },

    dueEvents: (now, limit) =>
      many(
        toEvent,
        `SELECT * FROM order_events WHERE state = 'pending' AND next_attempt_at <= ?
           AND (lease_until IS NULL OR lease_until < ?) AND ${FIRST_OF_ITS_ORDER}
         ORDER BY next_attempt_at, id LIMIT CAST(? AS INTEGER)`,
        now,
        now,
        limit
      ),

    async claimEvent(id, now, leaseUntil) {
      const row = await recoverable(
        `UPDATE order_events SET lease_until = ?, attempts = attempts + 1,
           deliver_since = COALESCE(deliver_since, ?)
         WHERE id = ? AND state = 'pending' AND next_attempt_at <= ?
           AND (lease_until IS NULL OR lease_until < ?) AND ${FIRST_OF_ITS_ORDER}
         RETURNING *`,
        leaseUntil,
        now,
        id,
        now,
        now
      )
      return row ? toEvent(row) : undefined
    },

    async renewEvent(id, attempts, leaseUntil) {
      const row = await recoverable(
        `UPDATE order_events SET lease_until = ?
         WHERE id = ? AND state = 'pending' AND attempts = CAST(? AS INTEGER) RETURNING id`,
        leaseUntil,
        id,
        attempts
      )
      return row !== undefined
    },

    async recordAttempt(attempt, next) {
      await db.batch(
        [
          sql(
            `INSERT INTO event_attempts (event_id, attempt, at, duration_ms, status_code, error)
             VALUES (?, CAST(? AS INTEGER), ?, CAST(? AS INTEGER), CAST(? AS INTEGER), ?)
             ON CONFLICT DO NOTHING`,
            attempt.eventId,
            attempt.attempt,
            attempt.at,
            attempt.durationMs,
            attempt.statusCode ?? null,
            attempt.error ?? null
          ),
          sql(
            `UPDATE order_events SET state = ?, lease_until = NULL,
               failures = CASE WHEN ? = 'delivered' THEN failures ELSE failures + 1 END,
               next_attempt_at = COALESCE(?, next_attempt_at), delivered_at = ?
             WHERE id = ? AND state = 'pending'
               AND (? = 'delivered' OR attempts = CAST(? AS INTEGER))`,
            next.state,
            next.state,
            next.state === 'pending' ? next.nextAttemptAt : null,
            next.state === 'delivered' ? next.at : null,
            attempt.eventId,
            next.state,
            attempt.attempt
          ),
        ],
        'os'
      )
    },

    async redeliverEvent(id, at) {
      const row = await one(
        `UPDATE order_events SET state = 'pending', failures = 0, next_attempt_at = ?,
           deliver_since = NULL, delivered_at = NULL
         WHERE id = ? RETURNING *`,
        at,
        id
      )
      return row ? toEvent(row) : undefined
    },
  }
}

/** Maps `order_events` rows to events. */
function toEvent(row: Row): StoredEvent {
  return {
    id: String(row.id),
    type: String(row.type) as EventType,
    at: String(row.at),
    seq: Number(row.seq),
    order: {
      callerReference: String(row.caller_reference),
      status: String(row.status) as OrderStatus,
      amount: String(row.amount),
      currencyCode: String(row.currency_code),
      reason: String(row.reason),
      item: optional(row.item),
      transactionId: optional(row.transaction_id),
      refundedCents: Number(row.refunded_cents),
      createdAt: String(row.created_at),
      updatedAt: String(row.at),
    },
    subscription:
      row.subscription === null || row.subscription === undefined
        ? undefined
        : (JSON.parse(String(row.subscription)) as SubscriptionSnapshot),
    refund:
      row.refund_cents === null
        ? undefined
        : { amountCents: Number(row.refund_cents), full: Number(row.refund_full) === 1 },
    state: String(row.state) as DeliveryState,
    attempts: Number(row.attempts),
    failures: Number(row.failures),
    nextAttemptAt: String(row.next_attempt_at),
    deliverSince: optional(row.deliver_since),
    leaseUntil: optional(row.lease_until),
    deliveredAt: optional(row.delivered_at),
  }
}

/** Maps `event_attempts` rows to tries. */
function toAttempt(row: Row): DeliveryAttempt {
  return {
    eventId: String(row.event_id),
    attempt: Number(row.attempt),
    at: String(row.at),
    durationMs: Number(row.duration_ms),
    statusCode: row.status_code === null ? undefined : Number(row.status_code),
    error: optional(row.error),
  }
}
