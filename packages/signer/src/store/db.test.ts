import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createTestDatabase } from '../../test/postgres.js'
import { type Db, sql } from './db.js'
import { openPostgres } from './postgres.js'
import { openSqlite } from './sqlite.js'

const insert = (key: string) => sql('INSERT INTO items (key) VALUES (?)', key)
const keys = sql('SELECT key FROM items ORDER BY key')

describe.each([
  ['SQLite', async () => openSqlite(`file:${join(mkdtempSync(join(tmpdir(), 'db-')), 'db.db')}`)],
  // one connection, so the batch after a failed one runs where it failed
  ['PostgreSQL', async () => openPostgres(await createTestDatabase(), { max: 1 })],
] as [string, () => Promise<Db>][])('%s batch', (_name, open) => {
  it('applies all of its statements or none, and answers the first failure', async () => {
    const db = await open()
    await db.batch([sql('CREATE TABLE items (key TEXT PRIMARY KEY)')])
    for (const durability of ['os', 'disk'] as const) {
      await expect(db.batch([insert('a'), insert('a'), insert('b')], durability)).rejects.toThrow(
        /unique/i
      )
    }
    expect(await db.query(keys.sql)).toEqual([])
    expect(await db.batch([insert('c'), keys], 'os')).toEqual([[], [{ key: 'c' }]])
    expect(await db.batch([insert('d'), keys])).toEqual([[], [{ key: 'c' }, { key: 'd' }]])
    await db.close()
  })
})
