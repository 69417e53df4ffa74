import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import type { Db, Statement } from './db.js'
import { createSqlStore } from './sql-store.js'
import { openSqlite } from './sqlite.js'
import type { Store } from './types.js'

type Listing = Parameters<Store['listOrders']>[0]

const cursor = { createdAt: '2026-11-30T12:00:00.000Z', callerReference: 'ord_cursor' }
const day = { from: '2026-11-29T00:00:00.000Z', to: '2026-11-30T00:00:00.000Z' }

/** Every way the signer lists orders: the admin list, the sweep, the ledger (first and next pages). */
const listings: [string, Listing][] = [
  ['the admin list of every status', { limit: 51 }],
  ['its next page', { before: cursor, limit: 51 }],
  ['the admin list of one status', { status: ['success'], limit: 51 }],
  ['its next page', { status: ['success'], before: cursor, limit: 51 }],
  [
    "the sweep's stale orders",
    { status: ['created'], updatedBefore: cursor.createdAt, oldestFirst: true, limit: 100 },
  ],
  ["the ledger's orders of a day", { created: day, oldestFirst: true, limit: 500 }],
  ['its next page', { created: day, after: cursor, oldestFirst: true, limit: 500 }],
]

/**
 * On SQLite every listing reads its page off an index, in order: never a scan of every order nor
 * a sort of them all, which took 3 s a page at 1,000,000 orders with the synchronous driver
 * holding every other request meanwhile (bench/growth.ts: admin_list_all_1m, ledger_page_1m).
 */
it.each(listings)('%s reads an index in order', async (_name, listing) => {
  const db = openSqlite(`file:${join(mkdtempSync(join(tmpdir(), 'signer-plans-')), 'plans.db')}`)
  const sent: Statement[] = []
  const recording: Db = {
    ...db,
    query: (sql, args = [], durability) => {
      sent.push({ sql, args })
      return db.query(sql, args, durability)
    },
  }
  const store = createSqlStore(recording)
  await store.migrate()
  sent.length = 0
  await store.listOrders(listing)
  expect(sent).toHaveLength(1)
  const [{ sql, args }] = sent as [Statement]
  const plan = (await db.query(`EXPLAIN QUERY PLAN ${sql}`, args)).map((row) => row.detail)
  expect(plan.join('\n')).toMatch(/USING (COVERING )?INDEX/)
  expect(plan).not.toContain('SCAN orders')
  expect(plan).not.toContain('USE TEMP B-TREE FOR ORDER BY')
  await store.close()
})
