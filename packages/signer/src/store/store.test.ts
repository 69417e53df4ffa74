import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describeStoreConformance } from '@fps-checkout/signer/testing'
import { createTestDatabase } from '../../test/postgres.js'
import { type Db, sql } from './db.js'
import { openStore } from './open.js'
import { openPostgres } from './postgres.js'
import { createSqlStore } from './sql-store.js'
import { openSqlite } from './sqlite.js'

/**
 * The driver, except that writing an event runs a statement the database refuses, inside the
 * transaction of the change that wrote it.
 */
function failingOutbox(db: Db): Db {
  const broken = sql('SELECT no_such_column FROM order_events')
  return {
    ...db,
    batch: (statements, durability) =>
      db.batch(
        statements.map((statement) =>
          statement.sql.includes('INSERT INTO order_events') ? broken : statement
        ),
        durability
      ),
  }
}

const sqliteUrl = `file:${join(mkdtempSync(join(tmpdir(), 'signer-store-')), 'signer.db')}`
describeStoreConformance('SQLite', async () => openStore(sqliteUrl), {
  openFailingOutbox: async () => createSqlStore(failingOutbox(openSqlite(sqliteUrl))),
})

let postgresUrl: Promise<string> | undefined
const postgres = () => (postgresUrl ??= createTestDatabase())
describeStoreConformance('PostgreSQL', async () => openStore(await postgres()), {
  openFailingOutbox: async () => createSqlStore(failingOutbox(openPostgres(await postgres()))),
})
