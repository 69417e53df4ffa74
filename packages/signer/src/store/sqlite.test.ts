import { spawn } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { expect, it, onTestFinished } from 'vitest'
import { openSqlite } from './sqlite.js'

const MB = 1024 * 1024

function temporaryDatabase(name: string): string {
  const directory = mkdtempSync(join(tmpdir(), 'sqlite-'))
  onTestFinished(() => rmSync(directory, { recursive: true, force: true }))
  return join(directory, name)
}

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

it('keeps every acknowledged write, disk and os, when its process is killed', async () => {
  const path = temporaryDatabase('killed.db')
  const sqlite = fileURLToPath(new URL('./sqlite.ts', import.meta.url))
  const writer = `
    const { openSqlite } = await import(${JSON.stringify(sqlite)})
    const db = openSqlite(${JSON.stringify(`file:${path}`)})
    await db.query('CREATE TABLE items (key INTEGER PRIMARY KEY)')
    for (let key = 0; ; key++) {
      await db.query('INSERT INTO items (key) VALUES (?)', [key], key % 2 ? 'os' : 'disk')
      process.stdout.write(key + '\\n')
    }`
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', writer], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let acknowledged = -1
  for await (const line of createInterface({ input: child.stdout })) {
    acknowledged = Number(line)
    if (acknowledged >= 300) break
  }
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGKILL')
  await exited
  const db = openSqlite(`file:${path}`)
  const [row] = await db.query('SELECT count(*) AS n FROM items')
  expect(row?.n).toBeGreaterThan(acknowledged)
  await db.close()
}, 30_000)

it("restarts the write-ahead log under steady writes with SQLite's own checkpoints", async () => {
  const path = temporaryDatabase('steady.db')
  const db = openSqlite(`file:${path}`)
  await db.query('CREATE TABLE items (key INTEGER PRIMARY KEY, body TEXT NOT NULL)', [], 'os')
  const body = 'x'.repeat(3500)
  let key = 0
  const insert = () => db.query('INSERT INTO items (key, body) VALUES (?, ?)', [key++, body], 'os')
  await insert()
  const first = logRestarts(path)
  // a log that never restarts grows by every commit (three pages each, 12 MB per thousand)
  const deadline = Date.now() + 20_000
  while (Date.now() < deadline && logRestarts(path) - first < 3) await insert()
  expect(logRestarts(path) - first).toBeGreaterThanOrEqual(3)
  expect(statSync(`${path}-wal`).size).toBeLessThan(16 * MB)
  await db.close()
  const reopened = openSqlite(`file:${path}`)
  expect(await reopened.query('SELECT count(*) AS n FROM items')).toEqual([{ n: key }])
  await reopened.close()
}, 30_000)

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

it('answers the row an INSERT of one row returns, none on a conflict, and every row of a larger INSERT', async () => {
  const db = openSqlite('file::memory:')
  await db.query('CREATE TABLE items (key TEXT PRIMARY KEY)')
  const insertOne = 'INSERT INTO items (key) VALUES (?) ON CONFLICT DO NOTHING RETURNING key'
  expect(await db.query(insertOne, ['a'])).toMatchObject([{ key: 'a' }])
  expect(await db.query(insertOne, ['a'])).toEqual([])
  expect(await db.query("INSERT INTO items (key) VALUES ('b'), ('c') RETURNING key")).toHaveLength(
    2
  )
  expect(
    await db.query("INSERT INTO items (key) SELECT key || '2' FROM items RETURNING key")
  ).toHaveLength(3)
  await db.close()
})
