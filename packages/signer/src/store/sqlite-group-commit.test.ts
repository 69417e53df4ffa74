import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'libsql'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { groupCommit } from './sqlite-group-commit.js'

let file: string
let db: Database.Database
let reader: Database.Database
let commits: number
let issued: string[]

/** The real connection, counting the commits the group commit issues. */
function counted() {
  return {
    exec: (sql: string) => {
      if (sql === 'COMMIT') commits++
      issued.push(sql)
      db.exec(sql)
    },
    get inTransaction() {
      return db.inTransaction
    },
  }
}

const insert = (key: string) => () => db.prepare('INSERT INTO items (key) VALUES (?)').run(key)
const keys = (from = reader) =>
  (from.prepare('SELECT key FROM items ORDER BY key').all() as { key: string }[]).map((r) => r.key)

beforeEach(() => {
  file = join(mkdtempSync(join(tmpdir(), 'group-commit-')), 'test.db')
  db = new Database(file)
  db.exec('PRAGMA journal_mode = WAL')
  db.exec('PRAGMA foreign_keys = ON')
  db.exec(`CREATE TABLE items (key TEXT PRIMARY KEY,
    parent TEXT REFERENCES items (key) DEFERRABLE INITIALLY DEFERRED)`)
  reader = new Database(file)
  commits = 0
  issued = []
})
afterEach(() => {
  reader.close()
  db.close()
})

describe('groupCommit', () => {
  it('commits the writes of one turn together, and each settles once another connection sees it', async () => {
    const writes = groupCommit(counted())
    const seen: string[][] = []
    await Promise.all(
      ['a', 'b', 'c'].map((key) => writes.write(insert(key)).then(() => seen.push(keys())))
    )
    expect(commits).toBe(1)
    expect(seen).toEqual([
      ['a', 'b', 'c'],
      ['a', 'b', 'c'],
      ['a', 'b', 'c'],
    ])
    await writes.write(insert('d'))
    expect(commits).toBe(2)
  })

  it('refuses only the write that fails, and leaves nothing of it', async () => {
    const writes = groupCommit(counted())
    const failing = () => {
      insert('half')()
      insert('a')()
    }
    const outcomes = await Promise.allSettled([
      writes.write(insert('a')),
      writes.write(failing),
      writes.write(insert('b')),
    ])
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/)
    expect(keys()).toEqual(['a', 'b'])
    expect(commits).toBe(1)
  })

  it('answers each write its own result', async () => {
    const writes = groupCommit(counted())
    const results = await Promise.all([
      writes.write(() => insert('a')().changes),
      writes.write(() => keys(db).length),
    ])
    expect(results).toEqual([1, 1])
  })

  it('refuses the whole group and rolls it back when the commit itself fails', async () => {
    const writes = groupCommit(counted())
    const orphan = () =>
      db.prepare('INSERT INTO items (key, parent) VALUES (?, ?)').run('orphan', 'nobody')
    const outcomes = await Promise.allSettled([writes.write(insert('a')), writes.write(orphan)])
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected'])
    expect(String((outcomes[0] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/)
    expect(db.inTransaction).toBe(false)
    expect(keys()).toEqual([])
    await writes.write(insert('after'))
    expect(keys()).toEqual(['after'])
  })

  it('refuses the group when the disk refuses its commit and its rollback, and goes on once it is back', async () => {
    let diskGone = true
    const failing = {
      exec: (sql: string) => {
        if (diskGone && (sql === 'COMMIT' || sql === 'ROLLBACK')) throw new Error('disk I/O error')
        db.exec(sql)
      },
      get inTransaction() {
        return db.inTransaction
      },
    }
    const unhandled: unknown[] = []
    const onUnhandled = (reason: unknown) => unhandled.push(reason)
    process.on('unhandledRejection', onUnhandled)
    try {
      const writes = groupCommit(failing)
      const [lost] = await Promise.allSettled([writes.write(insert('a'))])
      expect(String((lost as PromiseRejectedResult).reason)).toMatch(/disk I\/O error/)
      await new Promise((resolve) => setTimeout(resolve, 10))
      expect(unhandled).toEqual([])
      diskGone = false
      await writes.write(insert('b'))
      expect(keys()).toEqual(['b'])
      expect(db.inTransaction).toBe(false)
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
  })

  it('runs a group without savepoints until one of its writes fails', async () => {
    const writes = groupCommit(counted())
    await Promise.all([writes.write(insert('a')), writes.write(insert('b'))])
    expect(issued).toEqual(['PRAGMA synchronous = FULL', 'BEGIN IMMEDIATE', 'COMMIT'])
  })

  it('commits a group with a disk write with synchronous FULL (fsynced), one of os writes with NORMAL', async () => {
    const writes = groupCommit(counted())
    const synchronous = () =>
      (db.prepare('PRAGMA synchronous').get() as { synchronous: number }).synchronous
    await Promise.all([writes.write(insert('a'), 'os'), writes.write(insert('b'), 'os')])
    expect(synchronous()).toBe(1)
    await Promise.all([writes.write(insert('c'), 'os'), writes.write(insert('d'), 'disk')])
    expect(synchronous()).toBe(2)
    await writes.write(insert('e'), 'disk')
    expect(issued.filter((sql) => sql.startsWith('PRAGMA'))).toEqual([
      'PRAGMA synchronous = NORMAL',
      'PRAGMA synchronous = FULL',
    ])
    expect(commits).toBe(3)
  })

  it('drains: every write queued before it has settled when it resolves', async () => {
    const writes = groupCommit(counted())
    let settled = 0
    for (const key of ['a', 'b']) void writes.write(insert(key)).then(() => settled++)
    await writes.drain()
    expect(settled).toBe(2)
    expect(keys()).toEqual(['a', 'b'])
  })
})
