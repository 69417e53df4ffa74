import postgres, { type ParameterOrJSON } from 'postgres'
import type { Db, Durability, Row, SqlValue, Statement } from './db.js'

/**
 * How a transaction opens: `os` durability is PostgreSQL's asynchronous commit, for this
 * transaction only, set in the same message as the `BEGIN` (one round of the protocol fewer).
 */
const OPENING: Record<Durability, string> = {
  disk: 'BEGIN',
  os: 'BEGIN; SET LOCAL synchronous_commit = off',
}
/**
 * Named prepared statements, which the driver keeps per connection: a statement with parameters
 * is described once per connection instead of before every run. Unprepared, each one waited for
 * its own description (a round trip) and held back the statements queued behind it, so a batch
 * took two round trips a statement instead of one for all: 3.4× the checkouts a second. Behind
 * PgBouncer in transaction mode this needs its `max_prepared_statements` (1.21 and later).
 */
const PREPARED = { prepare: true } as const

/** Opens a PostgreSQL pool; statements keep their `?` placeholders until they are sent. */
export function openPostgres(url: string, options: { max?: number } = {}): Db {
  const client = postgres(url, { max: options.max ?? 10, onnotice: () => undefined })
  const bind = (args: readonly SqlValue[]) => args as ParameterOrJSON<never>[]
  /**
   * Sends a transaction's statements together on one connection, `BEGIN` to `COMMIT`: one round
   * trip once the connection has prepared them, not one per statement. When a statement fails,
   * PostgreSQL refuses the rest and turns the `COMMIT` into a rollback; the first failure is the
   * batch's.
   */
  const batch = async (statements: readonly Statement[], durability: Durability = 'disk') => {
    const connection = await client.reserve()
    try {
      const settled = await Promise.allSettled([
        // no parameters: the simple protocol, which runs both statements of the `os` opening
        connection.unsafe(OPENING[durability]),
        ...statements.map(({ sql, args }) =>
          connection.unsafe(numbered(sql), bind(args), PREPARED)
        ),
        connection.unsafe('COMMIT'),
      ])
      const failed = settled.find((outcome) => outcome.status === 'rejected')
      if (failed) throw failed.reason
      return settled
        .slice(1, 1 + statements.length)
        .map((outcome) => (outcome as PromiseFulfilledResult<unknown>).value as Row[])
    } finally {
      connection.release()
    }
  }
  return {
    migrationLock: { sql: 'SELECT pg_advisory_xact_lock(4727115)', args: [] },
    async query(sql, args = [], durability = 'disk') {
      if (durability === 'os') return (await batch([{ sql, args }], durability))[0] ?? []
      return (await client.unsafe(numbered(sql), bind(args), PREPARED)) as unknown as Row[]
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
