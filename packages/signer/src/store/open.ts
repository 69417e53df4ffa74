import type { Db } from './db.js'
import { openPostgres } from './postgres.js'
import { createSqlStore } from './sql-store.js'
import { openSqlite } from './sqlite.js'
import type { Store } from './types.js'
import { storeError } from './unavailable.js'

/**
 * Opens the store a `DATABASE_URL` names: `file:…` is SQLite, `postgres://…` is PostgreSQL. A
 * SQLite file that cannot be opened throws a `StoreUnavailableError`.
 */
export function openStore(databaseUrl: string, now?: () => Date): Store {
  let db: Db
  try {
    db = /^postgres(ql)?:\/\//.test(databaseUrl)
      ? openPostgres(databaseUrl)
      : openSqlite(databaseUrl)
  } catch (error) {
    throw storeError(error)
  }
  return createSqlStore(db, now)
}
