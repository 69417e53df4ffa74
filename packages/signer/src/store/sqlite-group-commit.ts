import type { Durability } from './db.js'

/** What a group commit needs from a synchronous SQLite connection in WAL mode. */
export interface SyncConnection {
  exec(sql: string): void
  /** False once SQLite has rolled the transaction back on its own (I/O error, disk full). */
  readonly inTransaction: boolean
}

/**
 * SQLite's own setting for a group's commit. In WAL mode `FULL` fsyncs the log at the commit, and
 * with it every commit before; `NORMAL` leaves the commit to the OS: it survives a crash of the
 * signer, and a power cut takes back at most the commits since the last fsync.
 */
const SYNCHRONOUS: Record<Durability, string> = { disk: 'FULL', os: 'NORMAL' }

interface Pending<T> {
  work: () => T
  durability: Durability
  resolve: (value: T) => void
  reject: (error: unknown) => void
}

/** How one write of a committed group ends, applied once the group has committed. */
type Outcome = () => void

// kept for 1.6–2.7× checkout req/s, measured: signer README, "Measured machinery"
/**
 * Group commit for a synchronous SQLite connection in WAL mode: writes that arrive in the same
 * turn of the event loop share one transaction, so a burst of checkouts writes each B-tree page
 * once, not once per checkout.
 * Writes run without savepoints; only if one throws is the group run again with a savepoint per
 * write, so a write that fails leaves no trace and does not fail the others. A group with a `disk`
 * write commits with `synchronous = FULL`, so SQLite fsyncs the log before the commit returns.
 * A write's promise settles only after its group has committed.
 */
export function groupCommit(connection: SyncConnection) {
  let queue: Pending<unknown>[] = []
  let scheduled: Promise<void> | undefined
  let synchronous: Durability | undefined

  function run<T>(pending: Pending<T>): Outcome {
    const value = pending.work()
    return () => pending.resolve(value)
  }

  function runIsolated(group: readonly Pending<unknown>[]): Outcome[] {
    return group.map((pending) => {
      connection.exec('SAVEPOINT write')
      try {
        const outcome = run(pending)
        connection.exec('RELEASE write')
        return outcome
      } catch (error) {
        if (!connection.inTransaction) throw error
        connection.exec('ROLLBACK TO write')
        connection.exec('RELEASE write')
        return () => pending.reject(error)
      }
    })
  }

  /** Sets `PRAGMA synchronous` for the group's commit, only when it changes. */
  function commitAs(group: readonly Pending<unknown>[]): void {
    const durability = group.some((pending) => pending.durability === 'disk') ? 'disk' : 'os'
    if (durability === synchronous) return
    connection.exec(`PRAGMA synchronous = ${SYNCHRONOUS[durability]}`)
    synchronous = durability
  }

  function commit(group: readonly Pending<unknown>[]): Outcome[] {
    // left open by a rollback that failed too (the disk gone, then back): none of it was acknowledged
    if (connection.inTransaction) connection.exec('ROLLBACK')
    commitAs(group)
    connection.exec('BEGIN IMMEDIATE')
    let outcomes: Outcome[]
    try {
      outcomes = group.map(run)
    } catch (error) {
      if (!connection.inTransaction) throw error
      connection.exec('ROLLBACK')
      const [only] = group
      if (group.length === 1 && only) return [() => only.reject(error)]
      connection.exec('BEGIN IMMEDIATE')
      outcomes = runIsolated(group)
    }
    connection.exec('COMMIT')
    return outcomes
  }

  /** Commits the writes queued in the last turn. */
  function flush(): void {
    const group = queue
    queue = []
    scheduled = undefined
    let outcomes: Outcome[]
    try {
      outcomes = commit(group)
    } catch (error) {
      for (const pending of group) pending.reject(error)
      try {
        if (connection.inTransaction) connection.exec('ROLLBACK')
      } catch {
        // the next group rolls it back first; thrown from here it would reject no write, only
        // end the process as an unhandled rejection
      }
      return
    }
    for (const outcome of outcomes) outcome()
  }

  return {
    /** Runs `work` inside the next group's transaction; settles once that group has committed. */
    write<T>(work: () => T, durability: Durability = 'disk'): Promise<T> {
      const done = new Promise<T>((resolve, reject) => {
        queue.push({ work, durability, resolve, reject } as Pending<unknown>)
      })
      scheduled ??= new Promise<void>((resolve) => setImmediate(resolve)).then(flush)
      return done
    },
    /** Resolves once every write queued so far has settled. */
    async drain(): Promise<void> {
      while (scheduled) await scheduled
    },
  }
}
