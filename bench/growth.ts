import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { SignerSettings } from '@fps-checkout/signer'
import { walkPaymentPages } from '@fps-checkout/signer/testing'
import { type ChildServer, startChild } from './child.js'
import { type LoadResult, load } from './load.js'
import { type Figure, median } from './measure.js'
import { CACHE, copySqlite, postgresSeed, type Seed, sqliteSeed } from './seed/cache.js'
import { connectPostgres, openSqliteFile } from './seed/drivers.js'
import { MILLION, type SeedPlan } from './seed/plan.js'
import { type CachedCluster, startCachedCluster } from './seed/postgres.js'
import { CATALOG, ITEMS, SHOP } from './seed/rows.js'
import type { TimedSweep } from './servers/store-signer.js'

const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef'
/** Stale orders the bench adds that the sandbox knows: authorized but never returned, and card payments the signer saw Pending. */
const AUTHORIZED = 50
const CARD_PENDING = 50
/** Past the sweep's recover-after (5 minutes), within FPS's 15-minute Timestamp window. */
const LATER_MS = 6 * 60_000
const ROUNDS = 5

/** The store of the growth figures; `GROWTH_ORDERS` makes a smaller one (a quick look, not the figure). */
function plan(): SeedPlan {
  const orders = Number(process.env.GROWTH_ORDERS ?? MILLION.orders)
  return orders === MILLION.orders
    ? MILLION
    : { orders, abandoned: Math.min(MILLION.abandoned, orders) }
}

/** One engine's two stores: the seeded one (a copy, as it is changed) and an empty one. */
interface Engine {
  /** `''` for SQLite, `_pg` for PostgreSQL, in the figures' names. */
  suffix: string
  label: string
  seeded: string
  empty: string
  /** The store's list query alone: with the new index and without it, and a walk of its pages. */
  listQueries(): Promise<ListQueries>
}

/** What the store's list queries cost alone, in ms. */
interface ListQueries {
  /** Median of the first page of a rare status with the index, and with it dropped. */
  with: number
  without: number
  /** Each page of a keyset walk from the newest order, as a cursor would fetch it. */
  pages: number[]
  /** Median of the ledger's first page: the newest day's orders, oldest first. */
  ledger: number
}

/**
 * Cost as the store fills up, at a year of orders (1,000,000 seeded, cached between runs), on
 * SQLite and on PostgreSQL: checkout throughput against an empty store, one reconciliation
 * sweep with 1,000 stale orders (the real sandbox answering its FPS calls), and the merchant's
 * order list by status.
 */
export async function growthBenchmark(): Promise<Figure[]> {
  const size = plan()
  if (size !== MILLION)
    process.stderr.write(`GROWTH_ORDERS: ${size.orders} orders, not the figures' million\n`)
  const figures: Figure[] = []
  const work = mkdtempSync(join(tmpdir(), 'fps-bench-growth-'))
  const sandbox = await startChild<{ url: string }>('sandbox')
  let cluster: CachedCluster | undefined
  try {
    const sqlite = await sqliteSeed(size)
    figures.push(seedFigure('seed_sqlite_s', sqlite))
    const copy = join(work, 'seeded.db')
    copySqlite(sqlite, copy)
    figures.push(
      ...(await measureEngine(sandbox.info.url, size, {
        suffix: '',
        label: 'SQLite',
        seeded: `file:${copy}`,
        empty: `file:${join(work, 'empty.db')}`,
        listQueries: () => sqliteListQueries(copy),
      }))
    )
    rmSync(work, { recursive: true, force: true })

    cluster = await startCachedCluster(join(CACHE, 'postgres'))
    const pg = await postgresSeed(cluster, size)
    figures.push(seedFigure('seed_pg_s', pg))
    // copies left by a run that was killed
    for (const row of await cluster.admin(
      "SELECT datname FROM pg_database WHERE datname LIKE 'growth\\_%'"
    )) {
      await cluster.admin(`DROP DATABASE IF EXISTS ${String(row.datname)} WITH (FORCE)`)
    }
    const run = `growth_${process.pid}`
    const copying = performance.now()
    // a copy of the files, not of their contents through the WAL (PostgreSQL 15's default)
    await cluster.admin(`CREATE DATABASE ${run} TEMPLATE ${pg.database} STRATEGY FILE_COPY`)
    process.stderr.write(
      `copied the seeded PostgreSQL database in ${((performance.now() - copying) / 1000).toFixed(0)} s\n`
    )
    await cluster.admin(`CREATE DATABASE ${run}_empty`)
    const seededUrl = cluster.url(run)
    try {
      figures.push(
        ...(await measureEngine(sandbox.info.url, size, {
          suffix: '_pg',
          label: 'PostgreSQL',
          seeded: seededUrl,
          empty: cluster.url(`${run}_empty`),
          listQueries: () => postgresListQueries(seededUrl),
        }))
      )
    } finally {
      await cluster.admin(`DROP DATABASE IF EXISTS ${run} WITH (FORCE)`)
      await cluster.admin(`DROP DATABASE IF EXISTS ${run}_empty WITH (FORCE)`)
    }
  } finally {
    await cluster?.stop()
    await sandbox.stop()
    rmSync(work, { recursive: true, force: true })
  }
  return figures
}

function seedFigure(name: string, seed: Seed): Figure {
  const seeded = new Date(seed.seededAt).toISOString().slice(0, 16)
  const migrated = seed.migrated
    ? `, then migrated from version ${seed.migrated.from} to ${seed.migrated.to} in ${seed.migrated.seconds.toFixed(0)} s`
    : ''
  return {
    name,
    value: seed.seconds,
    unit: 's',
    note: `${seed.plan.orders.toLocaleString('en-US')} orders, schema version ${seed.seededWith.version}; ${seed.cached ? `cached, seeded ${seeded}` : 'seeded by this run'}${migrated}`,
  }
}

async function measureEngine(
  sandboxUrl: string,
  size: SeedPlan,
  engine: Engine
): Promise<Figure[]> {
  const settings: SignerSettings = {
    accessKeyId: SHOP.accessKeyId,
    secretKey: SHOP.secretKey,
    apiUrl: `${sandboxUrl}/`,
    returnUrl: SHOP.returnUrl,
    catalog: CATALOG,
    adminToken: ADMIN_TOKEN,
    checkoutRateLimit: { limit: 1_000_000_000, windowMs: 60_000 },
    returnRateLimit: { limit: 1_000_000_000, windowMs: 60_000 },
  }
  const start = (databaseUrl: string) =>
    startChild<{ url: string }>('store-signer', {
      DATABASE_URL: databaseUrl,
      SIGNER_SETTINGS: JSON.stringify(settings),
    })
  const signers: ChildServer<{ url: string }>[] = []
  try {
    const seeded = await start(engine.seeded)
    signers.push(seeded)
    const empty = await start(engine.empty)
    signers.push(empty)
    const count = size.orders.toLocaleString('en-US')
    return [
      ...(await adminList(seeded.info.url, engine, count)),
      ...(await sweeps(seeded.info.url, engine, size)),
      ...(await checkoutGrowth(seeded.info.url, empty.info.url, engine, count)),
    ]
  } finally {
    await Promise.all(signers.map((signer) => signer.stop()))
  }
}

/**
 * `GET /admin/orders?status=success&limit=50`, newest first, one merchant at a time: the first
 * page of the most common status (the route has no cursor to page further with). Then the
 * store's own query alone: with the index the list needs and without it, side by side, and a
 * walk of its pages by keyset, as a cursor would fetch them.
 */
async function adminList(url: string, engine: Engine, count: string): Promise<Figure[]> {
  const list = (query: string) =>
    load({
      url: `${url}/admin/orders?${query}`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      connections: 1,
      describeFailures: true,
    })
  await list('status=success&limit=50')
  const byStatus = await list('status=success&limit=50')
  const created = await list('status=created&limit=50')
  const everyStatus = await list('limit=50')
  const queries = await engine.listQueries()
  const pages = [...queries.pages].sort((a, b) => a - b)
  const p99 = pages[Math.ceil(pages.length * 0.99) - 1] ?? 0
  return [
    {
      name: `admin_list_1m${engine.suffix}_p99_ms`,
      value: byStatus.p99,
      unit: 'ms',
      target: { op: '<=', value: 20 },
      note: `${engine.label}, ${count} orders: the first page of ?status=success&limit=50 (no cursor to page on), 1 connection, ${byStatus.requests} requests, p50 ${byStatus.p50} ms, ${failures(byStatus)} failed; status=created p50 ${created.p50} ms, p99 ${created.p99} ms`,
    },
    {
      name: `admin_list_all_1m${engine.suffix}_p99_ms`,
      value: everyStatus.p99,
      unit: 'ms',
      target: { op: '<=', value: 20 },
      note: `the first page of every status, ?limit=50: ${everyStatus.requests} requests, p50 ${everyStatus.p50} ms, ${failures(everyStatus)} failed (before orders_by_created, migration 9, a scan and sort of every order: 3 s on SQLite)`,
    },
    {
      name: `ledger_page_1m${engine.suffix}_ms`,
      value: queries.ledger,
      unit: 'ms',
      note: `the ledger's first page alone (reconcile --ledger): the newest day's orders, oldest first, ${LEDGER_PAGE} a page; median of ${LEDGER_RUNS} (before migration 9, a scan and sort of every order: 640–1,120 ms on SQLite)`,
    },
    {
      name: `admin_keyset_1m${engine.suffix}_p99_ms`,
      value: p99,
      unit: 'ms',
      note: `the list's query alone, ${pages.length} pages of 50 walked by keyset from the newest (created_at, callerReference), status=success; median ${median(pages).toFixed(2)} ms`,
    },
    {
      name: `orders_by_status_created${engine.suffix}_gain_admin_list`,
      value: queries.without / queries.with,
      unit: '×',
      note: `the list's first page of a rare status (${RARE_STATUS}) alone, median ${queries.with.toFixed(2)} ms with the index (migration 6), ${queries.without.toFixed(0)} ms with it dropped`,
    },
  ]
}

function failures(result: LoadResult): number {
  return result.errors + result.non2xx
}

/** The store's list query as `GET /admin/orders?status=…&limit=50` runs it (`sql-orders.ts`). */
const LIST_QUERY =
  'SELECT * FROM orders WHERE status IN (?) ORDER BY created_at DESC, caller_reference LIMIT 50'

/**
 * The page after a cursor: the same query, below the last order of the page before. The bound on
 * `created_at` alone is what lets either engine start its index scan at the cursor (with only the
 * `OR`, PostgreSQL reads from the newest order on and filters, deeper pages reading more).
 */
const NEXT_PAGE = `SELECT * FROM orders WHERE status IN (?)
  AND created_at <= ? AND (created_at < ? OR caller_reference > ?)
  ORDER BY created_at DESC, caller_reference LIMIT 50`

/**
 * The ledger's page (`payments/ledger.ts`): the orders created in its period, oldest first,
 * after a keyset cursor on later pages.
 */
const LEDGER_PAGE = 500
const LEDGER_QUERY = `SELECT * FROM orders WHERE created_at BETWEEN ? AND ?
  ORDER BY created_at ASC, caller_reference LIMIT ${LEDGER_PAGE}`
/** Runs of the ledger's page, of which the figure is the median. */
const LEDGER_RUNS = 5

/** The seeded store's few abandoned checkouts: a status the index is there for. */
const RARE_STATUS = 'created'

const PAGES = 200
const INDEX_ROUNDS = 3

/** The newest day of the seeded store, as the ledger's period: from, to. */
const NEWEST_DAY = `SELECT max(created_at) AS newest FROM orders`
function dayBefore(newest: unknown): [string, string] {
  const to = String(newest)
  return [new Date(Date.parse(to) - 86_400_000).toISOString(), to]
}

/** Milliseconds of each of `runs` runs of `query`. */
async function times(runs: number, query: () => unknown): Promise<number[]> {
  const taken: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    await query()
    taken.push(performance.now() - started)
  }
  return taken
}

/** Walks `PAGES` pages of the list by keyset, timing each one's query. */
async function walk(
  first: () => Promise<Record<string, unknown>[]>,
  next: (last: Record<string, unknown>) => Promise<Record<string, unknown>[]>
): Promise<number[]> {
  const taken: number[] = []
  let page: Record<string, unknown>[] = []
  for (let i = 0; i < PAGES; i++) {
    const last = page.at(-1)
    const started = performance.now()
    page = await (last ? next(last) : first())
    taken.push(performance.now() - started)
  }
  return taken
}

/**
 * SQLite: the list query as planned, with the new index dropped in a transaction rolled back,
 * its pages, and the ledger's page.
 */
async function sqliteListQueries(path: string): Promise<ListQueries> {
  const db = openSqliteFile(path)
  try {
    const withIndex = db.prepare(LIST_QUERY)
    const after = db.prepare(NEXT_PAGE)
    const rounds: { with: number; without: number }[] = []
    for (let round = 0; round < INDEX_ROUNDS; round++) {
      const indexed = median(await times(20, () => withIndex.all([RARE_STATUS])))
      db.exec('BEGIN')
      db.exec('DROP INDEX orders_by_status_created')
      const dropped = db.prepare(LIST_QUERY)
      const without = median(await times(3, () => dropped.all([RARE_STATUS])))
      db.exec('ROLLBACK')
      rounds.push({ with: indexed, without })
    }
    const period = dayBefore(db.prepare(NEWEST_DAY).all([])[0]?.newest)
    const ledgerPage = db.prepare(LEDGER_QUERY)
    const ledger = median(await times(LEDGER_RUNS, () => ledgerPage.all(period)))
    const pages = await walk(
      async () => withIndex.all(['success']),
      async (last) =>
        after.all(['success', last.created_at, last.created_at, last.caller_reference])
    )
    return {
      with: median(rounds.map((r) => r.with)),
      without: median(rounds.map((r) => r.without)),
      pages,
      ledger,
    }
  } finally {
    db.close()
  }
}

/**
 * PostgreSQL: the list query as planned, with the new index dropped in a transaction rolled back,
 * its pages, and the ledger's page.
 */
async function postgresListQueries(url: string): Promise<ListQueries> {
  const client = connectPostgres(url)
  const numbered = (sql: string) => {
    let n = 0
    return sql.replace(/\?/g, () => `$${++n}`)
  }
  const first = numbered(LIST_QUERY)
  const next = numbered(NEXT_PAGE)
  try {
    const rounds: { with: number; without: number }[] = []
    for (let round = 0; round < INDEX_ROUNDS; round++) {
      const withIndex = median(await times(20, () => client.unsafe(first, [RARE_STATUS])))
      await client.unsafe('BEGIN')
      await client.unsafe('DROP INDEX orders_by_status_created')
      const without = median(await times(3, () => client.unsafe(first, [RARE_STATUS])))
      await client.unsafe('ROLLBACK')
      rounds.push({ with: withIndex, without })
    }
    const pages = await walk(
      async () => client.unsafe(first, ['success']),
      async (last) =>
        client.unsafe(next, ['success', last.created_at, last.created_at, last.caller_reference])
    )
    const [newest] = await client.unsafe(NEWEST_DAY)
    const period = dayBefore(newest?.newest)
    const ledgerQuery = numbered(LEDGER_QUERY)
    const ledger = median(await times(LEDGER_RUNS, () => client.unsafe(ledgerQuery, period)))
    return {
      with: median(rounds.map((r) => r.with)),
      without: median(rounds.map((r) => r.without)),
      pages,
      ledger,
    }
  } finally {
    await client.end({ timeout: 5 })
  }
}

/**
 * One reconciliation sweep over the seeded store with 1,000 stale orders: the seed's 900
 * abandoned checkouts, and 100 the bench makes now with the real sandbox (buyers who authorized
 * and never came back, card payments the signer saw Pending and the sandbox has completed since),
 * the signer's clock then moved past the sweep's recover-after. Then sweeps until one finds
 * nothing left: the sweep takes 100 orders of each kind a step.
 */
async function sweeps(url: string, engine: Engine, size: SeedPlan): Promise<Figure[]> {
  await prepareStale(url)
  await post(url, '/bench/clock', { offsetMs: LATER_MS })
  try {
    const first = await post<TimedSweep>(url, '/bench/sweep')
    const all = [first]
    for (let i = 0; i < 30; i++) {
      const next = await post<TimedSweep>(url, '/bench/sweep')
      if (handled(next) === 0) break
      all.push(next)
    }
    const stale = size.abandoned + AUTHORIZED + CARD_PENDING
    const total = (key: keyof TimedSweep['report']) =>
      all.reduce((sum, sweep) => sum + sweep.report[key], 0)
    return [
      {
        name: `sweep_1m${engine.suffix}_ms`,
        value: first.ms,
        unit: 'ms',
        target: { op: '<=', value: 250 },
        note: `${engine.label}, ${size.orders.toLocaleString('en-US')} orders, ${stale} stale; one sweep handled ${handled(first)} (100 a step): ${describe(first)}`,
      },
      {
        name: `sweep_1m${engine.suffix}_drain_ms`,
        value: all.reduce((sum, sweep) => sum + sweep.ms, 0),
        unit: 'ms',
        note: `${all.length} sweeps until none was left: ${total('expired')} expired, ${total('recovered')} recovered, ${total('settled')} settled, ${total('failed')} failed; FPS calls took ${Math.round(all.reduce((sum, s) => sum + s.fpsMs, 0))} ms summed`,
      },
    ]
  } finally {
    await post(url, '/bench/clock', { offsetMs: 0 })
  }
}

function handled({ report }: TimedSweep): number {
  return (
    report.expired +
    report.recovered +
    report.settled +
    report.resent +
    report.charged +
    report.failed
  )
}

function describe({ report, fpsCalls, fpsMs }: TimedSweep): string {
  const kinds = (['expired', 'recovered', 'settled', 'resent', 'failed'] as const)
    .filter((key) => report[key] > 0)
    .map((key) => `${report[key]} ${key}`)
  return `${kinds.join(', ')}; ${fpsCalls} FPS calls taking ${Math.round(fpsMs)} ms summed (the sweep keeps several in flight)`
}

/** Buyers who authorized and left, and card payments the signer recorded as Pending. */
async function prepareStale(url: string): Promise<void> {
  for (let i = 0; i < AUTHORIZED + CARD_PENDING; i++) {
    const { item, reason, amount } = ITEMS[i % ITEMS.length] ?? ITEMS[0]
    const started = await post<{ url?: string }>(url, '/checkout', { amount, reason, item })
    if (!started.url) throw new Error(`growth: a checkout failed: ${JSON.stringify(started)}`)
    if (i < AUTHORIZED) {
      await walkPaymentPages(started.url)
      continue
    }
    const back = await walkPaymentPages(started.url, { email: 'bob@buyer.example', method: 'CC' })
    const returned = await post<{ order?: { status: string } }>(url, '/return', {
      query: back.search.slice(1),
    })
    if (returned.order?.status !== 'pending') {
      throw new Error(`growth: a card payment is not pending: ${JSON.stringify(returned)}`)
    }
  }
  // the sandbox completes card payments after its settlement delay, and tells no one
  await new Promise((resolve) => setTimeout(resolve, 1_500))
}

async function post<T>(url: string, path: string, body: unknown = {}): Promise<T> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return (await response.json()) as T
}

/**
 * `POST /checkout` on the seeded store against the same on an empty one, in alternating rounds
 * (which goes first alternates too), after a warm-up of each.
 */
async function checkoutGrowth(
  seededUrl: string,
  emptyUrl: string,
  engine: Engine,
  count: string
): Promise<Figure[]> {
  const checkout = (url: string, seconds = 3) =>
    load({
      url: `${url}/checkout`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        amount: ITEMS[0].amount,
        reason: ITEMS[0].reason,
        item: ITEMS[0].item,
      }),
      seconds,
      describeFailures: true,
    })
  await checkout(seededUrl, 1)
  await checkout(emptyUrl, 1)
  const seeded: LoadResult[] = []
  const empty: LoadResult[] = []
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) {
      seeded.push(await checkout(seededUrl))
      empty.push(await checkout(emptyUrl))
    } else {
      empty.push(await checkout(emptyUrl))
      seeded.push(await checkout(seededUrl))
    }
  }
  const failed = [...seeded, ...empty].reduce((sum, r) => sum + failures(r), 0)
  const firstFailure = [...seeded, ...empty].find((r) => r.firstFailure)?.firstFailure
  return [
    {
      name: `checkout_growth${engine.suffix}_ratio`,
      value: median(seeded.map((r, i) => r.rps / (empty[i]?.rps ?? Number.NaN))),
      unit: 'ratio',
      target: { op: '>=', value: 0.9 },
      note: `${engine.label}: ${Math.round(median(seeded.map((r) => r.rps)))} req/s at ${count} orders (p99 ${median(seeded.map((r) => r.p99))} ms) vs ${Math.round(median(empty.map((r) => r.rps)))} empty (p99 ${median(empty.map((r) => r.p99))} ms), 10 connections, ${failed} failed${firstFailure ? ` (${firstFailure})` : ''}`,
    },
  ]
}
