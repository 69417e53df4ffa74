import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import type { Db, Statement } from './db.js'
import { createSqlStore } from './sql-store.js'
import { openSqlite } from './sqlite.js'
import type { Store } from './types.js'

const cursor = { createdAt: '2026-11-30T12:00:00.000Z', callerReference: 'ord_cursor' }
const day = { from: '2026-11-29T00:00:00.000Z', to: '2026-11-30T00:00:00.000Z' }

/**
 * Every list a page is read from: the admin lists (first and next page, with and without a
 * status), the sweep's stale orders, the ledger's orders of a period.
 */
const listings: [string, (store: Store) => Promise<unknown>][] = [
  ['orders of every status', (store) => store.listOrders({ limit: 51 })],
  ['their next page', (store) => store.listOrders({ before: cursor, limit: 51 })],
  ['orders of one status', (store) => store.listOrders({ status: ['success'], limit: 51 })],
  [
    'their next page',
    (store) => store.listOrders({ status: ['success'], before: cursor, limit: 51 }),
  ],
  [
    "the sweep's stale orders",
    (store) =>
      store.listOrders({
        status: ['created'],
        updatedBefore: cursor.createdAt,
        oldestFirst: true,
        limit: 100,
      }),
  ],
  [
    "the ledger's orders of a day",
    (store) => store.listOrders({ created: day, oldestFirst: true, limit: 500 }),
  ],
  [
    'their next page',
    (store) => store.listOrders({ created: day, after: cursor, oldestFirst: true, limit: 500 }),
  ],
  ['subscriptions of every status', (store) => store.listSubscriptions({ limit: 51 })],
  [
    'subscriptions of one status',
    (store) => store.listSubscriptions({ status: 'active', limit: 51 }),
  ],
  [
    'their next page',
    (store) => store.listSubscriptions({ status: 'active', before: 'ord_cursor', limit: 51 }),
  ],
  ['refund requests of every status', (store) => store.listRefundRequests({ limit: 51 })],
  [
    'refund requests of one status',
    (store) => store.listRefundRequests({ status: 'open', limit: 51 }),
  ],
  ['events of every order', (store) => store.listEvents({ limit: 51 })],
  ['events of one type', (store) => store.listEvents({ type: 'order.paid', limit: 51 })],
]

/**
 * On SQLite every list reads its page off an index, in order: never a scan of the table nor a
 * sort of every row, which took 3 s a page at 1,000,000 orders with the synchronous driver
 * holding every other request meanwhile (bench/growth.ts: admin_list_all_1m, ledger_page_1m).
 */
it.each(listings)('%s: read off an index in order', async (_name, list) => {
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
  await list(store)
  expect(sent).toHaveLength(1)
  const [{ sql, args }] = sent as [Statement]
  const plan = (await db.query(`EXPLAIN QUERY PLAN ${sql}`, args)).map((row) => String(row.detail))
  expect(plan.join('\n')).toMatch(/USING (COVERING )?INDEX/)
  expect(plan.filter((step) => /^SCAN \w+$/.test(step))).toEqual([])
  expect(plan).not.toContain('USE TEMP B-TREE FOR ORDER BY')
  await store.close()
})
