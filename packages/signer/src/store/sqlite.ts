import { createClient, type InValue } from '@libsql/client'
import type { Db, Row, SqlValue } from './db.js'

/** How long a writer waits for another process's write lock before failing, in milliseconds. */
const BUSY_TIMEOUT_MS = 5000

/** Opens a SQLite file through libsql; the file and its schema are created on first use. */
export function openSqlite(url: string): Db {
  const client = createClient({ url, timeout: BUSY_TIMEOUT_MS, intMode: 'number' })
  const ready = client.execute('PRAGMA journal_mode = WAL')
  const rows = (result: { rows: unknown[] }) => result.rows as Row[]
  const bind = (args: readonly SqlValue[]) => args as InValue[]
  return {
    migrationLock: undefined,
    async query(sql, args = []) {
      await ready
      return rows(await client.execute({ sql, args: bind(args) }))
    },
    async batch(statements) {
      await ready
      const results = await client.batch(
        statements.map((statement) => ({ sql: statement.sql, args: bind(statement.args) })),
        'write'
      )
      return results.map(rows)
    },
    async close() {
      await ready.catch(() => undefined)
      client.close()
    },
  }
}
