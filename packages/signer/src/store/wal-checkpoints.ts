import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

/** Commits between two background checkpoints. */
const CHECKPOINT_EVERY_COMMITS = 64

/** Log frames after which the log is restarted from its start, as SQLite's own default does. */
const RESTART_AFTER_FRAMES = 1000

/** What `PRAGMA wal_checkpoint` answers: frames in the log, and how many are in the database. */
interface Checkpointed {
  log: number
  checkpointed: number
}

/**
 * The checkpointer thread: its own connection to the database, running a PASSIVE checkpoint per
 * message. Plain JavaScript, so it runs the same from the sources and from the build.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.path, { timeout: workerData.busyTimeoutMs })
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)')
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close()
    parentPort.close()
    return
  }
  const { log, checkpointed } = checkpoint.get()
  parentPort.postMessage({ log, checkpointed })
})
`

/** What the background checkpoints need from the store. */
export interface WalCheckpointsOptions {
  path: string
  busyTimeoutMs: number
  /** Runs a task while no write commits (the group commit's `hold`). */
  hold: <T>(task: () => Promise<T>) => Promise<T>
  /**
   * Turns the connection's own checkpoints off once the thread has made its first one, and back
   * on if the thread fails.
   */
  automatic: (enabled: boolean) => void
}

/**
 * Copies the write-ahead log into the database on a thread of its own, so the event loop never
 * waits for a checkpoint's writes and fsyncs (SQLite's automatic checkpoint, run inside a commit,
 * stalled it for 7 to 18 ms every thousand pages). Writes go on during the copy; when the log has
 * grown long, a second, short copy runs while writes are held, so the next commit starts the log
 * over instead of letting it grow. The thread starts with the first checkpoint; until it has made
 * one, and again if it fails, SQLite checkpoints inside commits as it does by default.
 */
export function walCheckpoints({ path, busyTimeoutMs, hold, automatic }: WalCheckpointsOptions) {
  let worker: Worker | undefined
  let answer: { resolve: (c: Checkpointed) => void; reject: (e: unknown) => void } | undefined
  let running: Promise<void> | undefined
  let handedOver = false
  let failed = false
  let exited = false
  let commits = 0

  function start(): Worker {
    const driver = createRequire(import.meta.url).resolve('libsql')
    const thread = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver, path, busyTimeoutMs },
    })
    thread.unref()
    thread.on('message', (checkpointed: Checkpointed) => answer?.resolve(checkpointed))
    thread.on('error', (error) => answer?.reject(error))
    thread.on('exit', () => {
      exited = true
      answer?.reject(new Error('The checkpoint thread exited.'))
    })
    return thread
  }

  function checkpoint(): Promise<Checkpointed> {
    worker ??= start()
    const thread = worker
    return new Promise<Checkpointed>((resolve, reject) => {
      if (exited) throw new Error('The checkpoint thread exited.')
      answer = { resolve, reject }
      thread.postMessage('checkpoint')
    }).finally(() => {
      answer = undefined
    })
  }

  async function cycle(): Promise<void> {
    try {
      const copied = await checkpoint()
      if (!handedOver) {
        handedOver = true
        automatic(false)
      }
      if (copied.log >= RESTART_AFTER_FRAMES) await hold(checkpoint)
    } catch {
      failed = true
      automatic(true)
    } finally {
      running = undefined
    }
  }

  return {
    /** Counts a commit; every so often starts a checkpoint unless one is running. */
    committed(): void {
      commits += 1
      if (failed || running || commits % CHECKPOINT_EVERY_COMMITS !== 0) return
      running = cycle()
    },
    /** Waits for a running checkpoint and closes the thread's connection. */
    async close(): Promise<void> {
      await running
      const thread = worker
      if (!thread || exited) return
      const ended = new Promise((resolve) => thread.once('exit', resolve))
      thread.postMessage('close')
      await ended
    },
  }
}
