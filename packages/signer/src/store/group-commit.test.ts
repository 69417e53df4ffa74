import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'libsql'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { groupCommit } from './group-commit.js'

let file: string
let db: Database.Database
let reader: Database.Database
let commits: number
let issued: string[]
let flushes: number

/** The log flush the group commit waits for, counted; it resolves on the next turn, as a real one does. */
const flushLog = async () => {
  await new Promise((resolve) => setImmediate(resolve))
  flushes++
}

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
  flushes = 0
})
afterEach(() => {
  reader.close()
  db.close()
})

describe('groupCommit', () => {
  it('commits the writes of one turn together, and each settles once another connection sees it', async () => {
    const writes = groupCommit(counted(), flushLog)
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
    const writes = groupCommit(counted(), flushLog)
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
    const writes = groupCommit(counted(), flushLog)
    const results = await Promise.all([
      writes.write(() => insert('a')().changes),
      writes.write(() => keys(db).length),
    ])
    expect(results).toEqual([1, 1])
  })

  it('refuses the whole group and rolls it back when the commit itself fails', async () => {
    const writes = groupCommit(counted(), flushLog)
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

  it('runs a group without savepoints until one of its writes fails', async () => {
    const writes = groupCommit(counted(), flushLog)
    await Promise.all([writes.write(insert('a')), writes.write(insert('b'))])
    expect(issued).toEqual(['BEGIN IMMEDIATE', 'COMMIT'])
  })

  it('acknowledges a group with a disk write only after a log flush that began after its commit', async () => {
    const writes = groupCommit(counted(), flushLog)
    await Promise.all([writes.write(insert('a'), 'os'), writes.write(insert('b'), 'os')])
    expect(flushes).toBe(0)
    const order: string[] = []
    await Promise.all([
      writes.write(insert('c'), 'os').then(() => order.push(`c after ${flushes} flushes`)),
      writes.write(insert('d')).then(() => order.push(`d after ${flushes} flushes`)),
    ])
    expect(order).toEqual(['c after 1 flushes', 'd after 1 flushes'])
  })

  it('lets one flush serve every group committed while the previous one ran', async () => {
    const started: (() => void)[] = []
    const writes = groupCommit(counted(), () => new Promise<void>((done) => started.push(done)))
    const turn = () => new Promise((resolve) => setImmediate(resolve))
    const acknowledged: string[] = []
    const write = (key: string) => writes.write(insert(key)).then(() => acknowledged.push(key))
    const all = [write('a')]
    await turn()
    all.push(write('b'))
    await turn()
    all.push(write('c'))
    await turn()
    expect({ commits, flushes: started.length, acknowledged }).toEqual({
      commits: 3,
      flushes: 1,
      acknowledged: [],
    })
    started[0]?.()
    await turn()
    expect({ flushes: started.length, acknowledged }).toEqual({ flushes: 2, acknowledged: ['a'] })
    started[1]?.()
    await Promise.all(all)
    expect({ flushes: started.length, acknowledged }).toEqual({
      flushes: 2,
      acknowledged: ['a', 'b', 'c'],
    })
  })

  it('refuses the writes of a failed flush and every write after it', async () => {
    const failing = groupCommit(counted(), async () => {
      throw new Error('EIO')
    })
    await expect(failing.write(insert('a'))).rejects.toThrow(/could not be flushed/)
    await expect(failing.write(insert('b'), 'os')).rejects.toThrow(/could not be flushed/)
    expect(keys()).toEqual(['a'])
  })

  it('holds groups back while a held task runs, and commits them after it', async () => {
    const writes = groupCommit(counted(), flushLog)
    let release = () => {}
    const task = new Promise<void>((resolve) => {
      release = resolve
    })
    const held = writes.hold(() => task)
    const written = writes.write(insert('a'), 'os')
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve))
    expect({ commits, keys: keys() }).toEqual({ commits: 0, keys: [] })
    release()
    await Promise.all([held, written])
    expect({ commits, keys: keys() }).toEqual({ commits: 1, keys: ['a'] })
  })

  it('drains: every write queued before it has settled when it resolves', async () => {
    const writes = groupCommit(counted(), flushLog)
    let settled = 0
    for (const key of ['a', 'b']) void writes.write(insert(key)).then(() => settled++)
    await writes.drain()
    expect(settled).toBe(2)
    expect(keys()).toEqual(['a', 'b'])
  })
})
