import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it, onTestFinished } from 'vitest'
import { openSqlite } from './sqlite.js'
import { walCheckpoints } from './wal-checkpoints.js'

const MB = 1024 * 1024

/**
 * Where the test stops waiting for restarts: far past what a thread restarting the log lets it
 * reach even on a slow disk, reached within seconds by a log that never restarts.
 */
const GIVE_UP_AT_LOG_SIZE = 256 * MB

/**
 * How many times the log has started over: the checkpoint sequence number in the WAL header,
 * which SQLite increments at each restart.
 */
function logRestarts(path: string): number {
  const header = Buffer.alloc(16)
  const file = openSync(`${path}-wal`, 'r')
  try {
    readSync(file, header, 0, header.length, 0)
  } finally {
    closeSync(file)
  }
  return header.readUInt32BE(12)
}

it('restarts the write-ahead log under steady writes, checkpointing off the event loop', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'wal-checkpoints-'))
  onTestFinished(() => rmSync(directory, { recursive: true, force: true }))
  const path = join(directory, 'steady.db')
  const db = openSqlite(`file:${path}`)
  await db.query('CREATE TABLE items (key INTEGER PRIMARY KEY, body TEXT NOT NULL)', [], 'os')
  const body = 'x'.repeat(3500)
  const autocheckpoint = async () =>
    (await db.query('PRAGMA wal_autocheckpoint', [], 'os'))[0]?.wal_autocheckpoint
  const deadline = Date.now() + 20_000
  let key = 0
  const insert = () => db.query('INSERT INTO items (key, body) VALUES (?, ?)', [key++, body], 'os')
  while (Date.now() < deadline && (key % 64 !== 0 || (await autocheckpoint()) !== 0)) await insert()
  expect(await autocheckpoint()).toBe(0)
  // With SQLite's own checkpoints off, only the thread's checkpoints can restart the log; a log
  // that never restarts grows by every commit (three pages each, 12 MB per thousand)
  const handedOverAt = logRestarts(path)
  const restarted = () => logRestarts(path) - handedOverAt >= 3
  const tooLong = () => statSync(`${path}-wal`).size > GIVE_UP_AT_LOG_SIZE
  while (Date.now() < deadline && !restarted() && !tooLong()) await insert()
  expect(logRestarts(path) - handedOverAt).toBeGreaterThanOrEqual(3)
  await db.close()
  const reopened = openSqlite(`file:${path}`)
  expect(await reopened.query('SELECT count(*) AS n FROM items')).toEqual([{ n: key }])
  await reopened.close()
}, 30_000)

it('gives checkpoints back to SQLite when the thread cannot open the database', async () => {
  const automatic: boolean[] = []
  const checkpoints = walCheckpoints({
    path: join(tmpdir(), 'no-such-directory', 'missing.db'),
    busyTimeoutMs: 100,
    hold: (task) => task(),
    automatic: (enabled) => automatic.push(enabled),
  })
  for (let commit = 0; commit < 64; commit++) checkpoints.committed()
  await checkpoints.close()
  for (let commit = 0; commit < 64 * 3; commit++) checkpoints.committed()
  await checkpoints.close()
  expect(automatic).toEqual([true])
})
