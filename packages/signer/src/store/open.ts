import { openPostgres } from './postgres.js'
import { createSqlStore } from './sql-store.js'
import { openSqlite } from './sqlite.js'
import type { Store } from './types.js'

/** Opens the store a `DATABASE_URL` names: `file:…` is SQLite, `postgres://…` is PostgreSQL. */
export function openStore(databaseUrl: string, now?: () => Date): Store {
  const db = /^postgres(ql)?:\/\//.test(databaseUrl)
    ? openPostgres(databaseUrl)
    : openSqlite(databaseUrl)
  return createSqlStore(db, now)
}
