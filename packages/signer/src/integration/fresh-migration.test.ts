import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { newOrder } from '@fps-checkout/signer/testing'
import { afterAll, describe, expect, it } from 'vitest'
import { createTestDatabase } from '../../test/postgres.js'
import type { Db } from '../store/db.js'
import { openPostgres } from '../store/postgres.js'
import { createSqlStore } from '../store/sql-store.js'
import { openSqlite } from '../store/sqlite.js'
import type { Store } from '../store/types.js'

/** Fresh databases per engine, each migrated by this many stores at once (processes starting together). */
const ROUNDS = 3
const STORES = 3
/** A PostgreSQL database takes about a second to create and migrate on two busy cores. */
const TIMEOUT_MS = 30_000

const dir = mkdtempSync(join(tmpdir(), 'signer-fresh-migration-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const engines: {
  name: string
  fresh: (round: number) => Promise<string>
  open: (url: string) => Db
}[] = [
  {
    name: 'SQLite',
    fresh: async (round) => `file:${join(dir, `fresh-${round}.db`)}`,
    open: openSqlite,
  },
  { name: 'PostgreSQL', fresh: () => createTestDatabase(), open: (url) => openPostgres(url) },
]

describe.each(engines)('$name: stores migrating one fresh database at once', ({ fresh, open }) => {
  it(
    `all succeed, each migration applied once, the schema whole (${ROUNDS} databases, ${STORES} stores each)`,
    async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const url = await fresh(round)
        const drivers = Array.from({ length: STORES }, () => open(url))
        const stores: Store[] = drivers.map((driver) => createSqlStore(driver))
        try {
          const outcomes = await Promise.allSettled(stores.map((store) => store.migrate()))
          expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([])

          const rows = await drivers[0]!.query(
            'SELECT version, COUNT(*) AS claims FROM schema_migrations GROUP BY version ORDER BY version'
          )
          const versions = rows.map((row) => Number(row.version))
          expect(rows.every((row) => Number(row.claims) === 1)).toBe(true)
          expect(versions).toEqual(Array.from({ length: versions.length }, (_, i) => i + 1))

          // the last migrations' columns are there: a plan's order, its subscription and its event
          const [store, other] = stores as [Store, Store]
          const order = newOrder({ item: 'streaming-monthly' })
          await store.insertOrder(order)
          const period = await other.insertOrder(
            newOrder({ tokenId: 'tok', periodOf: order.callerReference, status: 'pending' })
          )
          expect(period?.periodOf).toBe(order.callerReference)
          const { inserted } = await other.insertSubscription(
            {
              callerReference: order.callerReference,
              plan: 'streaming-monthly',
              every: '1 Month',
              amount: order.amount,
              amountCents: order.amountCents,
              currencyCode: order.currencyCode,
              tokenId: 'tok',
              status: 'active',
              period: 1,
              attempt: 1,
              dueAt: order.createdAt,
              anchorAt: order.createdAt,
              endsAt: undefined,
              trialEndsAt: undefined,
              createdAt: order.createdAt,
            },
            'Subscribed.'
          )
          expect(inserted).toBe(true)
          const [event] = await store.listEvents({
            callerReference: order.callerReference,
            limit: 5,
          })
          expect(event?.subscription?.subscription.plan).toBe('streaming-monthly')

          // and again, with nothing left to apply
          await Promise.all(stores.map((s) => s.migrate()))
          expect(await drivers[0]!.query('SELECT version FROM schema_migrations')).toHaveLength(
            versions.length
          )
        } finally {
          await Promise.all(stores.map((store) => store.close()))
        }
      }
    },
    TIMEOUT_MS
  )
})
