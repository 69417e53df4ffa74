import { sortableId, timeOrderedId } from '../ids.js'
import type { AllowanceStore } from './allowances.js'
import { type Db, type SqlValue, sql } from './db.js'
import type { EventStore } from './events.js'
import type { RefundRequestStore } from './refund-requests.js'
import { toHistoryEntry, toOrder } from './rows.js'
import { all, first, placeholders } from './sql.js'
import { outboxWrites } from './sql-events.js'
import type { OperationQueries } from './sql-operations.js'
import type { SubscriptionStore } from './subscriptions.js'
import type { NewOrder, Order, Store } from './types.js'

/** The order half of the SQL store: orders, their history, access tokens and notifications. */
export type OrderQueries = Omit<
  Store,
  | 'migrate'
  | 'close'
  | 'probeWrite'
  | keyof OperationQueries
  | keyof EventStore
  | keyof RefundRequestStore
  | keyof SubscriptionStore
  | keyof AllowanceStore
>

/**
 * Orders move only through conditional updates whose history line is written in the same
 * transaction, keyed by an event id, so a change that did not apply leaves no line. Orders and
 * their moves need only survive a crash of the signer (`os` durability): a power cut can take
 * back the last moments of them, but never past a stored FPS request, which is on disk before it
 * is sent and makes everything before it durable; from there the sweep recovers the rest.
 */
export function orderQueries(db: Db): OrderQueries {
  const one = first(db)
  const many = all(db)
  return {
    async insertOrder(order) {
      const event = timeOrderedId('evt_')
      const [won] = await db.batch(
        [
          // a row back only if this insert took effect: one statement, where reading it back
          // took a second (on PostgreSQL a round of the protocol's own); one column, not *
          sql(
            `INSERT INTO orders (caller_reference, status, amount, amount_cents, currency_code, reason,
             item, logo, capture, checkout_url, idempotency_key, request_hash, token_id, period_of,
             created_at, updated_at, expires_at, history_count, last_event)
           VALUES (?, ?, ?, CAST(? AS INTEGER), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)
           ON CONFLICT DO NOTHING RETURNING last_event`,
            order.callerReference,
            order.status,
            order.amount,
            order.amountCents,
            order.currencyCode,
            order.reason,
            order.item ?? null,
            order.logo ?? null,
            order.capture,
            order.checkoutUrl,
            order.idempotencyKey ?? null,
            order.requestHash ?? null,
            order.tokenId ?? null,
            order.periodOf ?? null,
            order.createdAt,
            order.createdAt,
            order.expiresAt,
            event
          ),
          historyLine(
            event,
            order.callerReference,
            order.createdAt,
            order.tokenId ? "Period ordered with the subscription's token." : 'Checkout started.'
          ),
        ],
        // no money has moved yet; the Pay request stored later is on disk before it is sent,
        // and makes this order durable with it
        'os'
      )
      return won?.length ? storedOrder(order) : undefined
    },

    async getOrder(callerReference) {
      const row = await one(
        'SELECT * FROM orders WHERE caller_reference = ? LIMIT 1',
        callerReference
      )
      return row ? toOrder(row) : undefined
    },

    async getOrderByIdempotencyKey(key) {
      const row = await one('SELECT * FROM orders WHERE idempotency_key = ? LIMIT 1', key)
      return row ? toOrder(row) : undefined
    },

    async listOrders({
      status,
      updatedBefore,
      created,
      after,
      before,
      oldestFirst = false,
      limit,
    }) {
      const where: string[] = []
      const args: SqlValue[] = []
      if (status) {
        where.push(`status IN (${placeholders(status.length)})`)
        args.push(...status)
      }
      if (updatedBefore) {
        where.push('updated_at < ?')
        args.push(updatedBefore)
      }
      if (created) {
        where.push('created_at BETWEEN ? AND ?')
        args.push(created.from, created.to)
      }
      if (after) {
        where.push('(created_at > ? OR (created_at = ? AND caller_reference > ?))')
        args.push(after.createdAt, after.createdAt, after.callerReference)
      }
      if (before) {
        // the bound on created_at alone lets either engine start its index scan at the cursor
        where.push('created_at <= ? AND (created_at < ? OR caller_reference > ?)')
        args.push(before.createdAt, before.createdAt, before.callerReference)
      }
      const filter = where.length ? `WHERE ${where.join(' AND ')}` : ''
      return many(
        toOrder,
        `SELECT * FROM orders ${filter} ORDER BY created_at ${oldestFirst ? 'ASC' : 'DESC'}, caller_reference
         LIMIT CAST(? AS INTEGER)`,
        ...args,
        limit
      )
    },

    async transition(callerReference, change) {
      // the event's id too, and the outbox lists events newest first by it
      const event = sortableId('evt_')
      const outbox = outboxWrites(event, callerReference, change)
      const results = await db.batch(
        [
          ...outbox.before,
          sql(
            `UPDATE orders SET status = ?, updated_at = ?, history_count = history_count + 1,
             last_event = ?, token_id = COALESCE(?, token_id),
             transaction_id = COALESCE(?, transaction_id)
           WHERE caller_reference = ? AND status IN (${placeholders(change.from.length)})${outbox.condition.sql}`,
            change.to,
            change.at,
            event,
            change.set?.tokenId ?? null,
            change.set?.transactionId ?? null,
            callerReference,
            ...change.from,
            ...outbox.condition.args
          ),
          historyLine(event, callerReference, change.at, change.note),
          ...outbox.after,
          sql(
            'SELECT * FROM orders WHERE caller_reference = ? AND last_event = ? LIMIT 1',
            callerReference,
            event
          ),
        ],
        'os'
      )
      const row = results.at(-1)?.[0]
      return row ? toOrder(row) : undefined
    },

    history: (callerReference) =>
      many(
        toHistoryEntry,
        'SELECT at, status, note FROM order_history WHERE caller_reference = ? ORDER BY seq',
        callerReference
      ),

    async adjustRefunded(callerReference, deltaCents) {
      const row = await one(
        `UPDATE orders SET refunded_cents = refunded_cents + CAST(? AS INTEGER)
         WHERE caller_reference = ? AND refunded_cents + CAST(? AS INTEGER) BETWEEN 0 AND amount_cents
         RETURNING caller_reference`,
        deltaCents,
        callerReference,
        deltaCents
      )
      return row !== undefined
    },

    async addAccessToken(callerReference, tokenHash, at) {
      await db.query(
        `INSERT INTO access_tokens (token_hash, caller_reference, created_at) VALUES (?, ?, ?)
         ON CONFLICT DO NOTHING`,
        [tokenHash, callerReference, at]
      )
    },

    async hasAccessToken(callerReference, tokenHash) {
      const row = await one(
        'SELECT 1 AS found FROM access_tokens WHERE token_hash = ? AND caller_reference = ? LIMIT 1',
        tokenHash,
        callerReference
      )
      return row !== undefined
    },

    async recordNotification(key, callerReference, payload, at) {
      const row = await one(
        `INSERT INTO notifications (dedupe_key, caller_reference, received_at, payload)
         VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING dedupe_key`,
        key,
        callerReference ?? null,
        at,
        payload
      )
      return row !== undefined
    },

    async forgetNotification(key) {
      await db.query('DELETE FROM notifications WHERE dedupe_key = ?', [key])
    },
  }
}

/** What `toOrder` reads back for a freshly inserted order. */
function storedOrder(order: NewOrder): Order {
  return {
    ...order,
    tokenId: order.tokenId,
    periodOf: order.periodOf,
    transactionId: undefined,
    refundedCents: 0,
    updatedAt: order.createdAt,
  }
}

/** The history line of a change, written only if the change with this event id took effect. */
export function historyLine(event: string, callerReference: string, at: string, note: string) {
  return sql(
    `INSERT INTO order_history (event_id, caller_reference, seq, at, status, note)
     SELECT ?, caller_reference, history_count, ?, status, ? FROM orders
     WHERE caller_reference = ? AND last_event = ?`,
    event,
    at,
    note,
    callerReference,
    event
  )
}
