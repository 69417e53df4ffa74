import postgres, { type ParameterOrJSON } from 'postgres'
import type { Db, Row, SqlValue } from './db.js'

/** Opens a PostgreSQL pool; statements keep their `?` placeholders until they are sent. */
export function openPostgres(url: string, options: { max?: number } = {}): Db {
  const client = postgres(url, { max: options.max ?? 10, onnotice: () => undefined })
  const bind = (args: readonly SqlValue[]) => args as ParameterOrJSON<never>[]
  return {
    migrationLock: { sql: 'SELECT pg_advisory_xact_lock(4727115)', args: [] },
    async query(sql, args = []) {
      return (await client.unsafe(numbered(sql), bind(args))) as unknown as Row[]
    },
    async batch(statements, durability = 'disk') {
      const results = await client.begin(async (tx) => {
        if (durability === 'os') await tx.unsafe('SET LOCAL synchronous_commit = off')
        const out: Row[][] = []
        for (const statement of statements) {
          out.push(
            (await tx.unsafe(numbered(statement.sql), bind(statement.args))) as unknown as Row[]
          )
        }
        return out
      })
      return results as Row[][]
    },
    async close() {
      await client.end({ timeout: 5 })
    },
  }
}

/** `?` → `$1`, `$2`, …; the shared SQL never has a `?` inside a string literal. */
function numbered(sql: string): string {
  let index = 0
  return sql.replace(/\?/g, () => `$${++index}`)
}
