import { SignerError } from '../errors.js'
import type { Db } from './db.js'

/** Seconds a client is told to wait before trying again; most of these pass in seconds or not at all. */
export const STORE_RETRY_AFTER_SECONDS = 5

/**
 * The database cannot take writes for now: a full disk, a read-only file system or server, a lock
 * held elsewhere, an I/O error, a server that is down or restarting. It answers 503 with
 * `Retry-After`; the message is for clients, `problem` for the operator.
 */
export class StoreUnavailableError extends SignerError {
  override name = 'StoreUnavailableError'

  constructor(
    /** What the database said, in a few words and its code: `its disk is full (SQLITE_FULL)`. */
    readonly problem: string,
    options: ErrorOptions = {}
  ) {
    super(
      'store_unavailable',
      'The signer cannot write to its database right now; try again shortly.',
      {
        ...options,
        retryAfter: STORE_RETRY_AFTER_SECONDS,
      }
    )
  }
}

const LOCKED = 'it is locked by another connection'
const FULL = 'its disk is full'
const READ_ONLY = 'it is read-only'
const IO = 'its disk failed to read or write'
const UNREACHABLE = 'the server cannot be reached'

/** SQLite's primary result codes (an extended code's low byte) that mean the storage, not the SQL. */
const SQLITE: Record<number, [name: string, problem: string]> = {
  3: ['SQLITE_PERM', 'access to it is denied'],
  5: ['SQLITE_BUSY', LOCKED],
  6: ['SQLITE_LOCKED', LOCKED],
  8: ['SQLITE_READONLY', READ_ONLY],
  10: ['SQLITE_IOERR', IO],
  13: ['SQLITE_FULL', FULL],
  14: ['SQLITE_CANTOPEN', 'its file cannot be opened'],
}

/** PostgreSQL SQLSTATEs, exact; classes 08 (connection) and 53 (resources) are matched by prefix. */
const SQLSTATE: Record<string, string> = {
  '25006': READ_ONLY,
  '53100': FULL,
  '57P01': 'the server is shutting down',
  '57P02': 'the server is shutting down',
  '57P03': 'the server is starting up or shutting down',
  '58030': IO,
  // the store does not retry these itself; the client may, safely
  '40001': 'the transaction conflicted with another',
  '40P01': 'the transaction conflicted with another',
}

/** Codes of Node's sockets and file system, and postgres.js's own connection failures. */
const SYSTEM: Record<string, string> = {
  ECONNREFUSED: UNREACHABLE,
  ECONNRESET: UNREACHABLE,
  EPIPE: UNREACHABLE,
  ETIMEDOUT: UNREACHABLE,
  EHOSTUNREACH: UNREACHABLE,
  ENETUNREACH: UNREACHABLE,
  ENOTFOUND: UNREACHABLE,
  EAI_AGAIN: UNREACHABLE,
  CONNECTION_CLOSED: UNREACHABLE,
  CONNECT_TIMEOUT: UNREACHABLE,
  ENOSPC: FULL,
  EDQUOT: FULL,
  EROFS: READ_ONLY,
  EIO: IO,
}

/** libsql reports a failed open as text: `ConnectionFailed("Unable to open … <path>: 14")`. */
const FAILED_OPEN = /^ConnectionFailed\(".*: (\d+)"\)$/s

interface Coded {
  name?: unknown
  code?: unknown
  rawCode?: unknown
  message?: unknown
  cause?: unknown
  errors?: unknown
}

/**
 * What makes `error` a storage failure rather than a bug or a broken rule, as `problem (CODE)`, or
 * undefined. Looks through `cause` and an AggregateError's `errors` (a connect to several addresses).
 */
export function storageProblem(error: unknown, depth = 0): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 4) return undefined
  const { name, code, rawCode, message, cause, errors } = error as Coded
  const sqlite =
    typeof rawCode === 'number'
      ? rawCode
      : typeof message === 'string'
        ? Number(FAILED_OPEN.exec(message)?.[1] ?? Number.NaN)
        : Number.NaN
  const primary = SQLITE[sqlite & 0xff]
  if (primary) {
    // libsql names only some extended codes (UNKNOWN_SQLITE_ERROR_1544 for SQLITE_READONLY_DIRECTORY)
    const [primaryName, problem] = primary
    const label =
      typeof code === 'string' && code.startsWith('SQLITE_')
        ? code
        : sqlite > 0xff
          ? `${primaryName}, extended code ${sqlite}`
          : primaryName
    return `${problem} (${label})`
  }
  if (typeof code === 'string') {
    if (name === 'PostgresError') {
      const problem =
        SQLSTATE[code] ??
        (code.startsWith('08')
          ? UNREACHABLE
          : code.startsWith('53')
            ? 'the server is out of resources'
            : undefined)
      if (problem) return `${problem} (SQLSTATE ${code})`
    } else if (SYSTEM[code]) {
      return `${SYSTEM[code]} (${code})`
    }
  }
  for (const inner of [cause, ...(Array.isArray(errors) ? errors : [])]) {
    const problem = storageProblem(inner, depth + 1)
    if (problem) return problem
  }
  return undefined
}

/** `error` as a StoreUnavailableError when it is a storage failure; otherwise `error` itself. */
export function storeError(error: unknown): unknown {
  if (error instanceof StoreUnavailableError) return error
  const problem = storageProblem(error)
  return problem === undefined ? error : new StoreUnavailableError(problem, { cause: error })
}

/** A `Db` whose failures are classified once, here, for every store built on it. */
export function guardDb(db: Db): Db {
  const rethrow = (error: unknown): never => {
    throw storeError(error)
  }
  return {
    migrationLock: db.migrationLock,
    query: (sql, args, durability) => db.query(sql, args, durability).catch(rethrow),
    batch: (statements, durability) => db.batch(statements, durability).catch(rethrow),
    close: () => db.close(),
  }
}
