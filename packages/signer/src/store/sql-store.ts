import type { Db } from './db.js'
import { migrate } from './migrations.js'
import { operationQueries } from './sql-operations.js'
import { orderQueries } from './sql-orders.js'
import type { Store } from './types.js'

/**
 * The one `Store` implementation, over any `Db`. Each rule that must hold across processes is a
 * constraint or a conditional statement, never a read-then-write in application code.
 */
export function createSqlStore(db: Db, now: () => Date = () => new Date()): Store {
  return {
    migrate: () => migrate(db, now().toISOString()),
    close: () => db.close(),
    ...orderQueries(db),
    ...operationQueries(db),
  }
}
