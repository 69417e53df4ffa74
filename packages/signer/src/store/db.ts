/** A value bound to a statement: every column is text or an integer. */
export type SqlValue = string | number | null

/** A row as the drivers return it, keyed by column name. */
export type Row = Record<string, unknown>

/** One statement with `?` placeholders. */
export interface Statement {
  sql: string
  args: readonly SqlValue[]
}

/**
 * How far a write must get before it is acknowledged. `disk`: flushed to disk, so it survives a
 * power cut. `os`: it survives a crash of the signer, but a power cut (or, with PostgreSQL, a
 * crash of the database server) can take back the last moments of such writes, until the next
 * `disk` write, which makes everything before it durable too.
 */
export type Durability = 'disk' | 'os'

/**
 * The little a store needs from a database driver. Statements are written once, in the SQL that
 * SQLite and PostgreSQL share; each driver adapts the placeholders.
 */
export interface Db {
  /** Runs one statement; a write gets `disk` durability unless told. */
  query(sql: string, args?: readonly SqlValue[], durability?: Durability): Promise<Row[]>
  /** Runs statements in one transaction and returns each one's rows; `disk` durability unless told. */
  batch(statements: readonly Statement[], durability?: Durability): Promise<Row[][]>
  /** A statement that serializes concurrent migrations, run first in their transaction. */
  readonly migrationLock: Statement | undefined
  close(): Promise<void>
}

/** Builds a statement; a small helper so call sites read like SQL. */
export function sql(text: string, ...args: SqlValue[]): Statement {
  return { sql: text, args }
}
