import { type Db, sql } from './db.js'
import { toOperation } from './rows.js'
import { all, first } from './sql.js'
import type { NewOperation, Operation, Store } from './types.js'

const FINAL_TRANSACTION_STATUSES = "('Success', 'Failure', 'Cancelled')"

/** The operation half of the SQL store: stored FPS requests, their leases and their answers. */
export type OperationQueries = Pick<
  Store,
  | 'insertOperation'
  | 'insertRefund'
  | 'getOperation'
  | 'findOperationByReference'
  | 'findOperationsByTransaction'
  | 'listOperations'
  | 'listStalledOperations'
  | 'claimOperation'
  | 'renewOperation'
  | 'replaceRequest'
  | 'finishOperation'
  | 'releaseOperation'
  | 'updateTransactionStatus'
>

/**
 * One row per money-moving call, unique by key (and by FPS CallerReference, and one charge per
 * order); a lease taken by a conditional update decides which process sends it. The stored
 * request is on disk before it can be sent. Leases and answers need only survive a crash of the
 * signer: after a power cut takes one back, the stored request is sent again and FPS, which
 * knows it by its CallerReference, answers the same transaction.
 */
export function operationQueries(db: Db): OperationQueries {
  const one = first(db)
  const recoverable = first(db, 'os')
  const many = all(db)
  return {
    async insertOperation(operation) {
      // RETURNING key, not *: the driver would build the whole row back, the signed request too,
      // only to answer what was just bound
      const row = await one(
        `INSERT INTO operations (key, caller_reference, kind, fps_caller_reference, amount_cents,
           request, state, created_at, updated_at)
         VALUES (?, ?, ?, ?, CAST(? AS INTEGER), ?, 'prepared', ?, ?)
         ON CONFLICT DO NOTHING RETURNING key`,
        operation.key,
        operation.callerReference,
        operation.kind,
        operation.fpsCallerReference ?? null,
        operation.amountCents ?? null,
        operation.request,
        operation.at,
        operation.at
      )
      if (row) return { operation: storedOperation(operation), inserted: true }
      const existing = await one('SELECT * FROM operations WHERE key = ? LIMIT 1', operation.key)
      if (!existing) {
        throw new Error(`Operation ${operation.key} collides with another on a unique column.`)
      }
      return { operation: toOperation(existing), inserted: false }
    },

    async insertRefund(refund) {
      try {
        // the orders CHECK and the operations keys fail the whole transaction, not one write
        const [, rows] = await db.batch([
          sql(
            `UPDATE orders SET refunded_cents = refunded_cents + CAST(? AS INTEGER)
             WHERE caller_reference = ?`,
            refund.amountCents,
            refund.callerReference
          ),
          sql(
            `INSERT INTO operations (key, caller_reference, kind, fps_caller_reference, amount_cents,
               request, state, created_at, updated_at)
             VALUES (?, ?, 'refund', ?, CAST(? AS INTEGER), ?, 'prepared', ?, ?) RETURNING *`,
            refund.key,
            refund.callerReference,
            refund.fpsCallerReference ?? null,
            refund.amountCents,
            refund.request,
            refund.at,
            refund.at
          ),
        ])
        const row = rows?.[0]
        if (!row) throw new Error(`Refund ${refund.key} was not stored.`)
        return { operation: toOperation(row), inserted: true }
      } catch (error) {
        const existing = await one('SELECT * FROM operations WHERE key = ? LIMIT 1', refund.key)
        if (existing) return { operation: toOperation(existing), inserted: false }
        const room = await one(
          `SELECT 1 AS room FROM orders
           WHERE caller_reference = ? AND refunded_cents + CAST(? AS INTEGER) <= amount_cents LIMIT 1`,
          refund.callerReference,
          refund.amountCents
        )
        if (!room) return undefined
        throw error
      }
    },

    async getOperation(key) {
      const row = await one('SELECT * FROM operations WHERE key = ? LIMIT 1', key)
      return row ? toOperation(row) : undefined
    },

    async findOperationByReference(fpsCallerReference) {
      const row = await one(
        'SELECT * FROM operations WHERE fps_caller_reference = ? LIMIT 1',
        fpsCallerReference
      )
      return row ? toOperation(row) : undefined
    },

    findOperationsByTransaction: (transactionId) =>
      many(
        toOperation,
        'SELECT * FROM operations WHERE transaction_id = ? ORDER BY created_at, key',
        transactionId
      ),

    listOperations: (callerReference) =>
      many(
        toOperation,
        'SELECT * FROM operations WHERE caller_reference = ? ORDER BY created_at, key',
        callerReference
      ),

    listStalledOperations: (at, limit) =>
      many(
        toOperation,
        `SELECT * FROM operations WHERE state = 'prepared' AND (lease_until IS NULL OR lease_until < ?)
         ORDER BY created_at LIMIT CAST(? AS INTEGER)`,
        at,
        limit
      ),

    async claimOperation(key, at, leaseUntil) {
      const row = await recoverable(
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

    async renewOperation(key, attempts, leaseUntil) {
      const row = await recoverable(
        `UPDATE operations SET lease_until = ?
         WHERE key = ? AND state = 'prepared' AND attempts = CAST(? AS INTEGER) RETURNING key`,
        leaseUntil,
        key,
        attempts
      )
      return row !== undefined
    },

    async replaceRequest(key, request, at) {
      await db.query(
        `UPDATE operations SET request = ?, updated_at = ? WHERE key = ? AND state = 'prepared'`,
        [request, at, key]
      )
    },

    async finishOperation(key, outcome) {
      const row = await recoverable(
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
        [at, key],
        'os'
      )
    },

    async updateTransactionStatus(key, status, at) {
      const row = await recoverable(
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
  }
}

/** What `toOperation` reads back for a freshly inserted operation. */
function storedOperation(operation: NewOperation): Operation {
  return {
    key: operation.key,
    callerReference: operation.callerReference,
    kind: operation.kind,
    fpsCallerReference: operation.fpsCallerReference ?? undefined,
    amountCents: operation.amountCents ?? undefined,
    request: operation.request,
    state: 'prepared',
    attempts: 0,
    leaseUntil: undefined,
    transactionId: undefined,
    transactionStatus: undefined,
    requestId: undefined,
    errorCode: undefined,
    errorMessage: undefined,
    createdAt: operation.at,
    updatedAt: operation.at,
  }
}
