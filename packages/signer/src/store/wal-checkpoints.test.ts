import { mkdtempSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { openSqlite } from './sqlite.js'
import { walCheckpoints } from './wal-checkpoints.js'

const MB = 1024 * 1024

it('keeps the write-ahead log short under steady writes, checkpointing off the event loop', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'wal-checkpoints-')), 'steady.db')
  const db = openSqlite(`file:${path}`)
  await db.query('CREATE TABLE items (key INTEGER PRIMARY KEY, body TEXT NOT NULL)', [], 'os')
  const body = 'x'.repeat(3500)
  let largestLog = 0
  for (let key = 0; key < 2500; key++) {
    await db.query('INSERT INTO items (key, body) VALUES (?, ?)', [key, body], 'os')
    largestLog = Math.max(largestLog, statSync(`${path}-wal`).size)
  }
  expect(await db.query('PRAGMA wal_autocheckpoint')).toEqual([{ wal_autocheckpoint: 0 }])
  // 2,500 commits of a page or more would make a log of over 10 MB if it never started over
  expect(largestLog).toBeLessThan(8 * MB)
  await db.close()
  const reopened = openSqlite(`file:${path}`)
  expect(await reopened.query('SELECT count(*) AS n FROM items')).toEqual([{ n: 2500 }])
  await reopened.close()
})

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
