import { randomUUID } from 'node:crypto'
import { type Db, type SqlValue, sql } from './db.js'
import { migrate } from './migrations.js'
import { toHistoryEntry, toOperation, toOrder } from './rows.js'
import type { Store } from './types.js'

const FINAL_TRANSACTION_STATUSES = "('Success', 'Failure', 'Cancelled')"

/**
 * The one `Store` implementation, over any `Db`. Each rule that must hold across processes is a
 * constraint or a conditional statement, never a read-then-write in application code.
 */
export function createSqlStore(db: Db, now: () => Date = () => new Date()): Store {
  const one = async (text: string, ...args: SqlValue[]) => (await db.query(text, args))[0]
  const placeholders = (count: number) => Array.from({ length: count }, () => '?').join(', ')

  return {
    migrate: () => migrate(db, now().toISOString()),
    close: () => db.close(),

    async insertOrder(order) {
      const event = randomUUID()
      const [inserted] = await db.batch([
        sql(
          `INSERT INTO orders (caller_reference, status, amount, amount_cents, currency_code, reason,
             item, logo, capture, checkout_url, idempotency_key, request_hash, created_at, updated_at,
             expires_at, history_count, last_event)
           VALUES (?, ?, ?, CAST(? AS INTEGER), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)
           ON CONFLICT DO NOTHING RETURNING *`,
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
          order.createdAt,
          order.createdAt,
          order.expiresAt,
          event
        ),
        historyLine(event, order.callerReference, order.createdAt, 'Checkout started.'),
      ])
      const row = inserted?.[0]
      return row ? toOrder(row) : undefined
    },

    async getOrder(callerReference) {
      const row = await one('SELECT * FROM orders WHERE caller_reference = ?', callerReference)
      return row ? toOrder(row) : undefined
    },

    async getOrderByIdempotencyKey(key) {
      const row = await one('SELECT * FROM orders WHERE idempotency_key = ?', key)
      return row ? toOrder(row) : undefined
    },

    async listOrders({ status, updatedBefore, oldestFirst = false, limit }) {
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
      const filter = where.length ? `WHERE ${where.join(' AND ')}` : ''
      const rows = await db.query(
        `SELECT * FROM orders ${filter} ORDER BY created_at ${oldestFirst ? 'ASC' : 'DESC'}, caller_reference
         LIMIT CAST(? AS INTEGER)`,
        [...args, limit]
      )
      return rows.map(toOrder)
    },

    async transition(callerReference, change) {
      const event = randomUUID()
      const [, , after] = await db.batch([
        sql(
          `UPDATE orders SET status = ?, updated_at = ?, history_count = history_count + 1,
             last_event = ?, token_id = COALESCE(?, token_id),
             transaction_id = COALESCE(?, transaction_id)
           WHERE caller_reference = ? AND status IN (${placeholders(change.from.length)})`,
          change.to,
          change.at,
          event,
          change.set?.tokenId ?? null,
          change.set?.transactionId ?? null,
          callerReference,
          ...change.from
        ),
        historyLine(event, callerReference, change.at, change.note),
        sql(
          'SELECT * FROM orders WHERE caller_reference = ? AND last_event = ?',
          callerReference,
          event
        ),
      ])
      const row = after?.[0]
      return row ? toOrder(row) : undefined
    },

    async history(callerReference) {
      const rows = await db.query(
        'SELECT at, status, note FROM order_history WHERE caller_reference = ? ORDER BY seq',
        [callerReference]
      )
      return rows.map(toHistoryEntry)
    },

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
        'INSERT INTO access_tokens (token_hash, caller_reference, created_at) VALUES (?, ?, ?)',
        [tokenHash, callerReference, at]
      )
    },

    async hasAccessToken(callerReference, tokenHash) {
      const row = await one(
        'SELECT 1 AS found FROM access_tokens WHERE token_hash = ? AND caller_reference = ?',
        tokenHash,
        callerReference
      )
      return row !== undefined
    },

    async insertOperation(operation) {
      const row = await one(
        `INSERT INTO operations (key, caller_reference, kind, fps_caller_reference, amount_cents,
           request, state, created_at, updated_at)
         VALUES (?, ?, ?, ?, CAST(? AS INTEGER), ?, 'prepared', ?, ?)
         ON CONFLICT DO NOTHING RETURNING *`,
        operation.key,
        operation.callerReference,
        operation.kind,
        operation.fpsCallerReference ?? null,
        operation.amountCents ?? null,
        operation.request,
        operation.at,
        operation.at
      )
      if (row) return { operation: toOperation(row), inserted: true }
      const existing = await one('SELECT * FROM operations WHERE key = ?', operation.key)
      if (!existing) {
        throw new Error(`Operation ${operation.key} collides with another on a unique column.`)
      }
      return { operation: toOperation(existing), inserted: false }
    },

    async getOperation(key) {
      const row = await one('SELECT * FROM operations WHERE key = ?', key)
      return row ? toOperation(row) : undefined
    },

    async findOperationByReference(fpsCallerReference) {
      const row = await one(
        'SELECT * FROM operations WHERE fps_caller_reference = ?',
        fpsCallerReference
      )
      return row ? toOperation(row) : undefined
    },

    async findOperationsByTransaction(transactionId) {
      const rows = await db.query(
        'SELECT * FROM operations WHERE transaction_id = ? ORDER BY created_at, key',
        [transactionId]
      )
      return rows.map(toOperation)
    },

    async listOperations(callerReference) {
      const rows = await db.query(
        'SELECT * FROM operations WHERE caller_reference = ? ORDER BY created_at, key',
        [callerReference]
      )
      return rows.map(toOperation)
    },

    async listStalledOperations(at, limit) {
      const rows = await db.query(
        `SELECT * FROM operations WHERE state = 'prepared' AND (lease_until IS NULL OR lease_until < ?)
         ORDER BY created_at LIMIT CAST(? AS INTEGER)`,
        [at, limit]
      )
      return rows.map(toOperation)
    },

    async claimOperation(key, at, leaseUntil) {
      const row = await one(
        `UPDATE operations SET lease_until = ?, attempts = attempts + 1, updated_at = ?
         WHERE key = ? AND state = 'prepared' AND (lease_until IS NULL OR lease_until < ?)
         RETURNING *`,
        leaseUntil,
        at,
        key,
        at
      )
      return row ? toOperation(row) : undefined
    },

    async replaceRequest(key, request, at) {
      await db.query(
        `UPDATE operations SET request = ?, updated_at = ? WHERE key = ? AND state = 'prepared'`,
        [request, at, key]
      )
    },

    async finishOperation(key, outcome) {
      const row = await one(
        `UPDATE operations SET state = ?, lease_until = NULL, transaction_id = ?,
           transaction_status = ?, request_id = ?, error_code = ?, error_message = ?, updated_at = ?
         WHERE key = ? AND state = 'prepared' RETURNING *`,
        outcome.state,
        outcome.transactionId ?? null,
        outcome.transactionStatus ?? null,
        outcome.requestId ?? null,
        outcome.errorCode ?? null,
        outcome.errorMessage ?? null,
        outcome.at,
        key
      )
      return row ? toOperation(row) : undefined
    },

    async releaseOperation(key, at) {
      await db.query(
        `UPDATE operations SET lease_until = NULL, updated_at = ? WHERE key = ? AND state = 'prepared'`,
        [at, key]
      )
    },

    async updateTransactionStatus(key, status, at) {
      const row = await one(
        `UPDATE operations SET transaction_status = ?, updated_at = ?
         WHERE key = ? AND state = 'done' AND COALESCE(transaction_status, '') <> ?
           AND COALESCE(transaction_status, '') NOT IN ${FINAL_TRANSACTION_STATUSES}
         RETURNING key`,
        status,
        at,
        key,
        status
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

/** The history line of a change, written only if the change with this event id took effect. */
function historyLine(event: string, callerReference: string, at: string, note: string) {
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
