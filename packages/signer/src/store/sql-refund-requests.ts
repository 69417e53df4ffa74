import type { Db, Row } from './db.js'
import type {
  RefundDecider,
  RefundRequest,
  RefundRequestStatus,
  RefundRequestStore,
} from './refund-requests.js'
import { all, first } from './sql.js'

/**
 * The refund request half of the SQL store. A request is unique per order by its column; a
 * decision applies only to a request still in the state it was taken from.
 */
export function refundRequestQueries(db: Db): RefundRequestStore {
  const one = first(db)
  const many = all(db)
  return {
    async insertRefundRequest(request) {
      const row = await one(
        `INSERT INTO refund_requests (id, caller_reference, amount_cents, currency_code, reason,
           status, created_at)
         VALUES (?, ?, CAST(? AS INTEGER), ?, ?, 'open', ?)
         ON CONFLICT DO NOTHING RETURNING *`,
        request.id,
        request.callerReference,
        request.amountCents,
        request.currencyCode,
        request.reason ?? null,
        request.createdAt
      )
      return row ? toRefundRequest(row) : undefined
    },

    async getRefundRequest(id) {
      const row = await one('SELECT * FROM refund_requests WHERE id = ? LIMIT 1', id)
      return row ? toRefundRequest(row) : undefined
    },

    async getRefundRequestOfOrder(callerReference) {
      const row = await one(
        'SELECT * FROM refund_requests WHERE caller_reference = ? LIMIT 1',
        callerReference
      )
      return row ? toRefundRequest(row) : undefined
    },

    listUnrefundedApprovals: (limit) =>
      many(
        toRefundRequest,
        `SELECT * FROM refund_requests request WHERE request.status = 'approved'
           AND NOT EXISTS (SELECT 1 FROM operations refund
             WHERE refund.caller_reference = request.caller_reference AND refund.kind = 'refund'
               AND refund.amount_cents = request.amount_cents
               AND refund.created_at >= request.decided_at)
         ORDER BY request.decided_at, request.id LIMIT CAST(? AS INTEGER)`,
        limit
      ),

    listRefundRequests: ({ status, limit }) =>
      status
        ? many(
            toRefundRequest,
            `SELECT * FROM refund_requests WHERE status = ? ORDER BY created_at DESC, id DESC
             LIMIT CAST(? AS INTEGER)`,
            status,
            limit
          )
        : many(
            toRefundRequest,
            'SELECT * FROM refund_requests ORDER BY created_at DESC, id DESC LIMIT CAST(? AS INTEGER)',
            limit
          ),

    async decideRefundRequest(id, from, decision) {
      const decided = decision.status === 'open' ? undefined : decision
      const row = await one(
        `UPDATE refund_requests SET status = ?, decided_by = ?, note = ?, decided_at = ?
         WHERE id = ? AND status = ? RETURNING *`,
        decision.status,
        decided?.by ?? null,
        decided?.note ?? null,
        decided?.at ?? null,
        id,
        from
      )
      return row ? toRefundRequest(row) : undefined
    },
  }
}

function toRefundRequest(row: Row): RefundRequest {
  return {
    id: String(row.id),
    callerReference: String(row.caller_reference),
    amountCents: Number(row.amount_cents),
    currencyCode: String(row.currency_code),
    reason: optional(row.reason),
    status: String(row.status) as RefundRequestStatus,
    decidedBy: optional(row.decided_by) as RefundDecider | undefined,
    note: optional(row.note),
    createdAt: String(row.created_at),
    decidedAt: optional(row.decided_at),
  }
}

function optional(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : String(value)
}
