import type { AllowanceStatus, AllowanceStore, StoredAllowance } from './allowances.js'
import type { Db, Row } from './db.js'
import { optional } from './rows.js'
import { all, first, placeholders } from './sql.js'

/** The statuses of an order whose charge counts against its token's limit at FPS. */
const CHARGED = ['pending', 'success', 'refunded'] as const

/** The allowance half of the SQL store. */
export function allowanceQueries(db: Db): AllowanceStore {
  const one = first(db)
  const many = all(db)
  return {
    async insertAllowance(allowance) {
      await db.query(
        `INSERT INTO allowances (caller_reference, allowance, holder_hash, limit_cents,
           currency_code, status, created_at, updated_at)
         VALUES (?, ?, ?, CAST(? AS INTEGER), ?, 'authorizing', ?, ?)
         ON CONFLICT DO NOTHING`,
        [
          allowance.callerReference,
          allowance.allowance,
          allowance.holderHash,
          allowance.limitCents,
          allowance.currencyCode,
          allowance.createdAt,
          allowance.createdAt,
        ],
        'os'
      )
    },

    async getAllowance(callerReference) {
      const row = await one('SELECT * FROM allowances WHERE caller_reference = ?', callerReference)
      return row ? toAllowance(row) : undefined
    },

    async findActiveAllowance(holderHash, allowance) {
      const row = await one(
        `SELECT * FROM allowances WHERE holder_hash = ? AND allowance = ? AND status = 'active'
         ORDER BY created_at DESC LIMIT 1`,
        holderHash,
        allowance
      )
      return row ? toAllowance(row) : undefined
    },

    listAllowances: (holderHash) =>
      many(
        toAllowance,
        `SELECT * FROM allowances WHERE holder_hash = ? AND status <> 'authorizing'
         ORDER BY created_at DESC LIMIT 100`,
        holderHash
      ),

    async activateAllowance(callerReference, tokenId, at) {
      const row = await one(
        `UPDATE allowances SET token_id = ?, status = 'active', updated_at = ?
         WHERE caller_reference = ? AND status = 'authorizing' RETURNING *`,
        tokenId,
        at,
        callerReference
      )
      return row ? toAllowance(row) : undefined
    },

    async setAllowanceStatus(callerReference, from, to, at) {
      const row = await one(
        `UPDATE allowances SET status = ?, updated_at = ?
         WHERE caller_reference = ? AND status IN (${placeholders(from.length)}) RETURNING *`,
        to,
        at,
        callerReference,
        ...from
      )
      return row ? toAllowance(row) : undefined
    },

    async spentWithToken(tokenId) {
      const row = await one(
        `SELECT COALESCE(SUM(amount_cents), 0) AS spent FROM orders
         WHERE token_id = ? AND status IN (${placeholders(CHARGED.length)})`,
        tokenId,
        ...CHARGED
      )
      return Number(row?.spent ?? 0)
    },
  }
}

/** Maps `allowances` rows to allowances. */
function toAllowance(row: Row): StoredAllowance {
  return {
    callerReference: String(row.caller_reference),
    allowance: String(row.allowance),
    holderHash: String(row.holder_hash),
    tokenId: optional(row.token_id),
    limitCents: Number(row.limit_cents),
    currencyCode: String(row.currency_code),
    status: String(row.status) as AllowanceStatus,
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
  }
}
