import { mkdtempSync, readdirSync, readlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { openSqlite } from './sqlite.js'

/** How many of this process's open files are `path`: SQLite's own handle, and the flusher's. */
function handlesOn(path: string): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === path
    } catch {
      return false
    }
  }).length
}

it('fdatasyncs the write-ahead log for a disk write through a handle of its own, not for an os one', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'sqlite-flush-')), 'flush.db')
  const db = openSqlite(`file:${path}`)
  const wal = `${path}-wal`
  await db.query('CREATE TABLE items (key TEXT PRIMARY KEY)', [], 'os')
  await db.query('INSERT INTO items (key) VALUES (?)', ['a'], 'os')
  expect(handlesOn(wal)).toBe(1)
  await db.query('INSERT INTO items (key) VALUES (?)', ['b'], 'disk')
  expect(handlesOn(wal)).toBe(2)
  expect(await db.query('SELECT key FROM items ORDER BY key')).toMatchObject([
    { key: 'a' },
    { key: 'b' },
  ])
  await db.close()
  // the driver lets go of its own handles later, when its connection is collected
  expect(handlesOn(wal)).toBeLessThanOrEqual(1)
})

it('answers at most one row for a statement ending in LIMIT 1, and none when nothing matches', async () => {
  const db = openSqlite('file::memory:')
  await db.batch([
    { sql: 'CREATE TABLE items (key TEXT PRIMARY KEY)', args: [] },
    { sql: "INSERT INTO items (key) VALUES ('a'), ('b')", args: [] },
  ])
  expect(await db.query('SELECT key FROM items ORDER BY key LIMIT 1')).toMatchObject([{ key: 'a' }])
  expect(await db.query('SELECT key FROM items ORDER BY key')).toHaveLength(2)
  expect(await db.query("SELECT key FROM items WHERE key = 'z' LIMIT 1")).toEqual([])
  await db.close()
})
