import postgres, { type ParameterOrJSON } from 'postgres'
import type { Db, Durability, Row, SqlValue, Statement } from './db.js'

/** Opens a PostgreSQL pool; statements keep their `?` placeholders until they are sent. */
export function openPostgres(url: string, options: { max?: number } = {}): Db {
  const client = postgres(url, { max: options.max ?? 10, onnotice: () => undefined })
  const bind = (args: readonly SqlValue[]) => args as ParameterOrJSON<never>[]
  /** `os` durability is PostgreSQL's asynchronous commit, for this transaction only. */
  const batch = async (statements: readonly Statement[], durability: Durability = 'disk') =>
    (await client.begin(async (tx) => {
      if (durability === 'os') await tx.unsafe('SET LOCAL synchronous_commit = off')
      const out: Row[][] = []
      for (const statement of statements) {
        out.push(
          (await tx.unsafe(numbered(statement.sql), bind(statement.args))) as unknown as Row[]
        )
      }
      return out
    })) as Row[][]
  return {
    migrationLock: { sql: 'SELECT pg_advisory_xact_lock(4727115)', args: [] },
    async query(sql, args = [], durability = 'disk') {
      if (durability === 'os') return (await batch([{ sql, args }], durability))[0] ?? []
      return (await client.unsafe(numbered(sql), bind(args))) as unknown as Row[]
    },
    batch,
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
