import type { Durability } from './db.js'

/** What a group commit needs from a synchronous SQLite connection in WAL mode. */
export interface SyncConnection {
  exec(sql: string): void
  /** False once SQLite has rolled the transaction back on its own (I/O error, disk full). */
  readonly inTransaction: boolean
}

/** Flushes the write-ahead log to disk (an fdatasync), off the event loop. */
export type FlushLog = () => Promise<void>

interface Pending<T> {
  work: () => T
  durability: Durability
  resolve: (value: T) => void
  reject: (error: unknown) => void
}

/** How one write of a committed group ends, applied once its group may be acknowledged. */
type Outcome = () => void

/** What a group commit tells its owner. */
export interface GroupCommitOptions {
  /** Called after each group commits (the background checkpoints count them). */
  onCommit?: () => void
}

/**
 * Group commit for a synchronous SQLite connection in WAL mode with `synchronous = NORMAL`.
 * Writes that arrive in the same turn of the event loop share one transaction. They run without
 * savepoints; only if one throws is the group run again with a savepoint per write, so a write
 * that fails leaves no trace and does not fail the others. A group with a `disk` write is
 * acknowledged after a flush of the log that started after its commit: one flush at a time runs
 * off the event loop, and serves every group committed before it started. A failed flush refuses
 * its writes and every write after it, since the log's state on disk is then unknown. A write's
 * promise settles only after its transaction has committed. `hold` keeps groups from starting
 * while a task runs, so the task sees the log quiet without blocking the event loop.
 */
export function groupCommit(
  connection: SyncConnection,
  flushLog: FlushLog,
  { onCommit }: GroupCommitOptions = {}
) {
  let queue: Pending<unknown>[] = []
  let scheduled: Promise<void> | undefined
  let held: Promise<void> | undefined
  let unflushed: { pending: Pending<unknown>; outcome: Outcome }[] = []
  let flushing: Promise<void> | undefined
  let broken: Error | undefined

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

  function commit(group: readonly Pending<unknown>[]): Outcome[] {
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
    onCommit?.()
    return outcomes
  }

  async function flushUntilCaughtUp(): Promise<void> {
    while (unflushed.length > 0) {
      const waiting = unflushed
      unflushed = []
      try {
        if (broken) throw broken
        await flushLog()
        for (const { outcome } of waiting) outcome()
      } catch (error) {
        broken ??= new Error('The SQLite log could not be flushed to disk; restart the signer.', {
          cause: error,
        })
        for (const { pending } of waiting) pending.reject(broken)
      }
    }
    flushing = undefined
  }

  function flush(): void {
    const group = queue
    queue = []
    scheduled = undefined
    let outcomes: Outcome[]
    try {
      if (broken) throw broken
      outcomes = commit(group)
    } catch (error) {
      for (const pending of group) pending.reject(error)
      if (connection.inTransaction) connection.exec('ROLLBACK')
      return
    }
    if (!group.some((pending) => pending.durability === 'disk')) {
      for (const outcome of outcomes) outcome()
      return
    }
    group.forEach((pending, i) => {
      unflushed.push({ pending, outcome: outcomes[i] as Outcome })
    })
    flushing ??= flushUntilCaughtUp()
  }

  /** Commits the queued writes on the next turn, or once a `hold` ends. */
  async function nextGroup(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve))
    while (held) await held
    flush()
  }

  return {
    /** Runs `work` inside the next group's transaction; settles once that group may be acknowledged. */
    write<T>(work: () => T, durability: Durability = 'disk'): Promise<T> {
      const done = new Promise<T>((resolve, reject) => {
        queue.push({ work, durability, resolve, reject } as Pending<unknown>)
      })
      scheduled ??= nextGroup()
      return done
    },
    /** Runs `task` with no group committing meanwhile; writes queue up and commit after it. */
    async hold<T>(task: () => Promise<T>): Promise<T> {
      while (held) await held
      let release = () => {}
      held = new Promise<void>((resolve) => {
        release = resolve
      })
      try {
        return await task()
      } finally {
        held = undefined
        release()
      }
    },
    /** Resolves once every write queued so far has settled. */
    async drain(): Promise<void> {
      while (scheduled ?? flushing) await (scheduled ?? flushing)
    },
  }
}
