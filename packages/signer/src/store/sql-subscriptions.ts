import { sortableId } from '../ids.js'
import { type Db, type Row, type SqlValue, sql } from './db.js'
import { optional } from './rows.js'
import { all, first } from './sql.js'
import { eventLine } from './sql-events.js'
import { historyLine } from './sql-orders.js'
import {
  CHARGING_STATUSES,
  type Subscription,
  type SubscriptionStatus,
  type SubscriptionStore,
} from './subscriptions.js'

/**
 * The subscription half of the SQL store. A subscription moves only by a conditional update
 * marked with the change's event id; its order's history line and outbox event are written in the
 * same transaction, and only where that mark took, so a change that did not apply tells nothing.
 */
export function subscriptionQueries(db: Db): SubscriptionStore {
  const one = first(db)
  const many = all(db)

  /** The statements that record a change marked `event` on the subscription's order. */
  function tell(event: string, read: Subscription, at: string, note: string) {
    return [
      sql(
        `UPDATE orders SET history_count = history_count + 1, last_event = ?
         WHERE caller_reference = ?
           AND EXISTS (SELECT 1 FROM subscriptions WHERE caller_reference = ? AND last_event = ?)`,
        event,
        read.callerReference,
        read.callerReference,
        event
      ),
      historyLine(event, read.callerReference, at, note),
    ]
  }

  return {
    async insertSubscription(subscription, note) {
      const event = sortableId('evt_')
      const stored: Subscription = {
        ...subscription,
        chargedPeriods: 0,
        updatedAt: subscription.createdAt,
      }
      const results = await db.batch(
        [
          sql(
            `INSERT INTO subscriptions (caller_reference, plan, every, amount, amount_cents,
               currency_code, token_id, status, period, attempt, due_at, anchor_at, ends_at,
               trial_ends_at, last_event, created_at, updated_at)
             VALUES (?, ?, ?, ?, CAST(? AS INTEGER), ?, ?, ?, CAST(? AS INTEGER),
               CAST(? AS INTEGER), ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT DO NOTHING`,
            stored.callerReference,
            stored.plan,
            stored.every,
            stored.amount,
            stored.amountCents,
            stored.currencyCode,
            stored.tokenId,
            stored.status,
            stored.period,
            stored.attempt,
            stored.dueAt,
            stored.anchorAt,
            stored.endsAt ?? null,
            stored.trialEndsAt ?? null,
            event,
            stored.createdAt,
            stored.updatedAt
          ),
          ...tell(event, stored, stored.createdAt, note),
          eventLine(event, stored.callerReference, 'subscription.created', stored.createdAt, {
            subscription: stored,
          }),
          sql('SELECT * FROM subscriptions WHERE caller_reference = ?', stored.callerReference),
        ],
        'os'
      )
      const row = results.at(-1)?.[0]
      if (!row) throw new Error(`The subscription ${stored.callerReference} was not stored.`)
      return { subscription: toSubscription(row), inserted: row.last_event === event }
    },

    async getSubscription(callerReference) {
      const row = await one(
        'SELECT * FROM subscriptions WHERE caller_reference = ?',
        callerReference
      )
      return row ? toSubscription(row) : undefined
    },

    async findSubscriptionByToken(tokenId) {
      const row = await one('SELECT * FROM subscriptions WHERE token_id = ? LIMIT 1', tokenId)
      return row ? toSubscription(row) : undefined
    },

    dueSubscriptions: (now, limit) =>
      many(
        toSubscription,
        `SELECT * FROM subscriptions
         WHERE status IN (${CHARGING_STATUSES.map(() => '?').join(', ')}) AND due_at <= ?
         ORDER BY due_at, caller_reference LIMIT CAST(? AS INTEGER)`,
        ...CHARGING_STATUSES,
        now,
        limit
      ),

    listSubscriptions({ status, before, limit }) {
      const where: string[] = []
      const args: SqlValue[] = []
      if (status) {
        where.push('status = ?')
        args.push(status)
      }
      if (before) {
        where.push('caller_reference < ?')
        args.push(before)
      }
      const filter = where.length ? `WHERE ${where.join(' AND ')}` : ''
      return many(
        toSubscription,
        `SELECT * FROM subscriptions ${filter} ORDER BY caller_reference DESC LIMIT CAST(? AS INTEGER)`,
        ...args,
        limit
      )
    },

    async changeSubscription(read, change) {
      const event = sortableId('evt_')
      const after: Subscription = { ...read, ...change.set, updatedAt: change.at }
      const results = await db.batch(
        [
          sql(
            `UPDATE subscriptions SET status = ?, period = CAST(? AS INTEGER),
               attempt = CAST(? AS INTEGER), due_at = ?, charged_periods = CAST(? AS INTEGER),
               updated_at = ?, last_event = ?
             WHERE caller_reference = ? AND status = ? AND period = CAST(? AS INTEGER)
               AND attempt = CAST(? AS INTEGER)`,
            after.status,
            after.period,
            after.attempt,
            after.dueAt,
            after.chargedPeriods,
            after.updatedAt,
            event,
            read.callerReference,
            read.status,
            read.period,
            read.attempt
          ),
          ...tell(event, read, change.at, change.note),
          ...(change.event
            ? [
                eventLine(event, read.callerReference, change.event, change.at, {
                  subscription: after,
                  ...(change.charge ? { charge: change.charge } : {}),
                }),
              ]
            : []),
          sql(
            'SELECT * FROM subscriptions WHERE caller_reference = ? AND last_event = ?',
            read.callerReference,
            event
          ),
        ],
        'os'
      )
      const row = results.at(-1)?.[0]
      return row ? toSubscription(row) : undefined
    },
  }
}

/** Maps `subscriptions` rows to subscriptions. */
function toSubscription(row: Row): Subscription {
  return {
    callerReference: String(row.caller_reference),
    plan: String(row.plan),
    every: String(row.every),
    amount: String(row.amount),
    amountCents: Number(row.amount_cents),
    currencyCode: String(row.currency_code),
    tokenId: String(row.token_id),
    status: String(row.status) as SubscriptionStatus,
    period: Number(row.period),
    attempt: Number(row.attempt),
    dueAt: String(row.due_at),
    anchorAt: String(row.anchor_at),
    endsAt: optional(row.ends_at),
    trialEndsAt: optional(row.trial_ends_at),
    chargedPeriods: Number(row.charged_periods),
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
  }
}
