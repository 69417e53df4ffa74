import Database from 'libsql'
import type { Db, Row, SqlValue } from './db.js'
import { groupCommit } from './sqlite-group-commit.js'

/** How long a writer waits for another process's write lock before failing, in milliseconds. */
const BUSY_TIMEOUT_MS = 5000

/** Prepared statements kept; the store's SQL is a small fixed set, so this bound is never hit. */
const STATEMENT_CACHE_SIZE = 256

/** What a statement reads back: rows for a statement that answers data, else none. */
type Execute = (sql: string, args: readonly SqlValue[]) => Row[]

/**
 * Opens a SQLite file through libsql's synchronous driver; the file and its schema are created on
 * first use. It runs in WAL mode with SQLite's own automatic checkpoints; statements are prepared
 * once, and writes share commits through `groupCommit`, which sets `synchronous` by durability.
 */
export function openSqlite(url: string): Db {
  const connection = new Database(pathOf(url), { timeout: BUSY_TIMEOUT_MS })
  const mode = connection.prepare('PRAGMA journal_mode = WAL').get() as Row
  if (!connection.memory && mode.journal_mode !== 'wal') {
    connection.close()
    throw new Error(
      `SQLite could not switch the database to WAL (it stays ${mode.journal_mode}); put it on a local disk.`
    )
  }
  connection.exec('PRAGMA foreign_keys = ON')
  const execute = preparedStatements(connection)
  // 1.6–2.7× checkout req/s over per-write commits: README, "Measured machinery"
  const writes = groupCommit(connection)
  let closed = false
  /** The driver aborts the process on a closed connection, so a late caller gets an error instead. */
  const open = () => {
    if (closed) throw new Error('The SQLite store is closed.')
  }
  return {
    migrationLock: undefined,
    async query(sql, args = [], durability = 'disk') {
      open()
      return isRead(sql) ? execute(sql, args) : writes.write(() => execute(sql, args), durability)
    },
    async batch(statements, durability) {
      open()
      return writes.write(() => statements.map(({ sql, args }) => execute(sql, args)), durability)
    },
    async close() {
      if (closed) return
      closed = true
      await writes.drain()
      connection.close()
    },
  }
}

/** A read runs at once, outside any pending group: it sees what has committed. */
function isRead(sql: string): boolean {
  return /^\s*SELECT\b/i.test(sql)
}

/**
 * How a prepared statement is run: `all` for rows, `get` for a statement that answers one row at
 * most (the driver's `all` costs several times its `get`), `run` for one that answers nothing.
 */
type Mode = 'all' | 'get' | 'run'

/** A statement ending in `LIMIT 1`, or an `INSERT` of one `VALUES` row with `RETURNING`. */
function answersOneRow(sql: string): boolean {
  if (/\bLIMIT 1\s*$/i.test(sql)) return true
  return (
    /^\s*INSERT\b.*\bVALUES\b.*\bRETURNING\b/is.test(sql) && !/\bSELECT\b|\)\s*,\s*\(/i.test(sql)
  )
}

function preparedStatements(connection: Database.Database): Execute {
  const cache = new Map<string, { statement: Database.Statement; mode: Mode }>()
  return (sql, args) => {
    let entry = cache.get(sql)
    if (!entry) {
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.clear()
      const statement = connection.prepare(sql)
      const mode = !statement.reader ? 'run' : answersOneRow(sql) ? 'get' : 'all'
      entry = { statement, mode }
      cache.set(sql, entry)
    }
    if (entry.mode === 'all') return entry.statement.all(args) as Row[]
    if (entry.mode === 'run') {
      entry.statement.run(args)
      return []
    }
    const row = entry.statement.get(args) as Row | undefined
    return row === undefined ? [] : [row]
  }
}

/** `file:/abs.db`, `file:///abs.db`, `file:rel.db` and `file::memory:` as the driver names them. */
function pathOf(url: string): string {
  return decodeURIComponent(url.replace(/^file:(\/\/(?=\/))?/, ''))
}
