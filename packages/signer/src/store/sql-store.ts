import type { Db } from './db.js'
import { migrate } from './migrations.js'
import { allowanceQueries } from './sql-allowances.js'
import { eventQueries } from './sql-events.js'
import { operationQueries } from './sql-operations.js'
import { orderQueries } from './sql-orders.js'
import { refundRequestQueries } from './sql-refund-requests.js'
import { subscriptionQueries } from './sql-subscriptions.js'
import type { Store } from './types.js'
import { guardDb } from './unavailable.js'

/**
 * The one `Store` implementation, over any `Db`. Each rule that must hold across processes is a
 * constraint or a conditional statement, never a read-then-write in application code. A failure
 * of the storage itself (full disk, read-only, locked, server down) comes out as a
 * `StoreUnavailableError`.
 */
export function createSqlStore(driver: Db, now: () => Date = () => new Date()): Store {
  const db = guardDb(driver)
  return {
    migrate: () => migrate(db, now().toISOString()),
    close: () => db.close(),
    async probeWrite(at) {
      // a changed row, committed and flushed like a stored FPS request: no cache can answer it
      await db.query(
        `INSERT INTO readiness (id, checked_at) VALUES (1, ?)
         ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at`,
        [at],
        'disk'
      )
    },
    ...orderQueries(db),
    ...operationQueries(db),
    ...eventQueries(db),
    ...refundRequestQueries(db),
    ...subscriptionQueries(db),
    ...allowanceQueries(db),
  }
}
