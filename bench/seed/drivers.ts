import { createRequire } from 'node:module'
import type { Writable } from 'node:stream'

/**
 * The signer's own database drivers, loaded from its dependencies: the seed writes through the
 * same SQLite build and PostgreSQL client as the store it fills, and the bench declares no
 * database dependency of its own. Typed here with the little the seed uses.
 */
const fromSigner = createRequire(import.meta.resolve('@fps-checkout/signer'))

/** A prepared SQLite statement (libsql's better-sqlite3 API). */
export interface SqliteStatement {
  run(args: readonly unknown[]): unknown
  all(args?: readonly unknown[]): Record<string, unknown>[]
  get(args?: readonly unknown[]): Record<string, unknown> | undefined
}

/** A SQLite connection (libsql's better-sqlite3 API). */
export interface SqliteConnection {
  prepare(sql: string): SqliteStatement
  exec(sql: string): void
  close(): void
}

/** Opens a SQLite file with libsql's synchronous driver, as the signer's store does. */
export function openSqliteFile(path: string): SqliteConnection {
  const Database = fromSigner('libsql') as new (path: string) => SqliteConnection
  return new Database(path)
}

/** The parts of a postgres.js client the seed and the bench use. */
export interface PostgresClient {
  unsafe(sql: string, args?: readonly unknown[]): PostgresQuery
  end(options?: { timeout?: number }): Promise<void>
}

/** A postgres.js query: awaited for its rows, or turned into a `COPY … FROM STDIN` stream. */
export interface PostgresQuery extends PromiseLike<Record<string, unknown>[]> {
  writable(): Promise<Writable>
}

/** A postgres.js pool on `url`, notices dropped; `connection` sets parameters of every session. */
export function connectPostgres(
  url: string,
  max = 1,
  connection: Record<string, string> = {}
): PostgresClient {
  const postgres = fromSigner('postgres') as (
    url: string,
    options: { max: number; onnotice: () => void; connection: Record<string, string> }
  ) => PostgresClient
  return postgres(url, { max, onnotice: () => undefined, connection })
}
