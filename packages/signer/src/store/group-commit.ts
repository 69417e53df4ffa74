import type { Durability } from './db.js'

/** What a group commit needs from a synchronous SQLite connection. */
export interface SyncConnection {
  exec(sql: string): void
  /** False once SQLite has rolled the transaction back on its own (I/O error, disk full). */
  readonly inTransaction: boolean
}

interface Pending<T> {
  work: () => T
  durability: Durability
  resolve: (value: T) => void
  reject: (error: unknown) => void
}

/** SQLite's `synchronous` setting for each durability: FULL fsyncs the WAL at every commit. */
const SYNCHRONOUS = { disk: 'FULL', os: 'NORMAL' } as const

/**
 * Group commit for a synchronous SQLite connection in WAL mode. Writes that arrive in the same
 * turn of the event loop share one transaction, and so at most one fsync, made when any of them
 * needs `disk` durability; each runs in a savepoint of its own, so a write that fails leaves no
 * trace and does not fail the others. A write's promise settles only after its transaction has
 * committed.
 */
export function groupCommit(connection: SyncConnection) {
  let queue: Pending<unknown>[] = []
  let scheduled: Promise<void> | undefined
  let synchronous: string | undefined

  function commit(group: readonly Pending<unknown>[]): (() => void)[] {
    const settled: (() => void)[] = []
    const wanted = SYNCHRONOUS[group.some((p) => p.durability === 'disk') ? 'disk' : 'os']
    if (wanted !== synchronous) {
      connection.exec(`PRAGMA synchronous = ${wanted}`)
      synchronous = wanted
    }
    connection.exec('BEGIN IMMEDIATE')
    for (const pending of group) {
      connection.exec('SAVEPOINT write')
      try {
        const value = pending.work()
        connection.exec('RELEASE write')
        settled.push(() => pending.resolve(value))
      } catch (error) {
        if (!connection.inTransaction) throw error
        connection.exec('ROLLBACK TO write')
        connection.exec('RELEASE write')
        settled.push(() => pending.reject(error))
      }
    }
    connection.exec('COMMIT')
    return settled
  }

  function flush(): void {
    const group = queue
    queue = []
    scheduled = undefined
    let settled: (() => void)[]
    try {
      settled = commit(group)
    } catch (error) {
      for (const pending of group) pending.reject(error)
      if (connection.inTransaction) connection.exec('ROLLBACK')
      return
    }
    for (const settle of settled) settle()
  }

  return {
    /** Runs `work` inside the next group's transaction; settles once that group has committed. */
    write<T>(work: () => T, durability: Durability = 'disk'): Promise<T> {
      const done = new Promise<T>((resolve, reject) => {
        queue.push({ work, durability, resolve, reject } as Pending<unknown>)
      })
      scheduled ??= new Promise<void>((resolve) =>
        setImmediate(() => {
          try {
            flush()
          } finally {
            resolve()
          }
        })
      )
      return done
    },
    /** Resolves once every write queued so far has committed or been refused. */
    async drain(): Promise<void> {
      while (scheduled) await scheduled
    },
  }
}
