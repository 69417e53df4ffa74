import { startPostgres } from '@fps-checkout/signer/testing'
import { startChild } from './child.js'
import { againstFloor, type LoadResult, load } from './load.js'
import { type Figure, median } from './measure.js'

const body = JSON.stringify({
  amount: '0.90',
  reason: 'Now and Forever - Richard Marx',
  item: 'now-and-forever',
})
const checkout = (url: string) =>
  load({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    describeFailures: true,
  })

/** Several signers under load at once (sharing one database): their throughputs add up. */
async function together(urls: readonly string[]): Promise<LoadResult> {
  const results = await Promise.all(urls.map((url) => checkout(url)))
  return results.reduce((sum, r) => {
    const firstFailure = sum.firstFailure ?? r.firstFailure
    return {
      rps: sum.rps + r.rps,
      requests: sum.requests + r.requests,
      p50: Math.max(sum.p50, r.p50),
      p99: Math.max(sum.p99, r.p99),
      errors: sum.errors + r.errors,
      non2xx: sum.non2xx + r.non2xx,
      ...(firstFailure === undefined ? {} : { firstFailure }),
    }
  })
}

function figures(
  name: string,
  note: string,
  measured: Awaited<ReturnType<typeof againstFloor>>,
  target?: number
): Figure[] {
  const failures = measured.work.errors + measured.work.non2xx
  return [
    { name: `${name}_rps`, value: measured.work.rps, unit: 'req/s', note },
    { name: `${name}_p99_ms`, value: measured.work.p99, unit: 'ms' },
    {
      name: `${name}_failures`,
      value: failures,
      unit: 'requests',
      target: { op: '<=', value: 0 },
      ...(measured.work.firstFailure ? { note: `first: ${measured.work.firstFailure}` } : {}),
    },
    {
      name: `${name}_ratio`,
      value: measured.ratio,
      unit: 'ratio',
      ...(target ? { target: { op: '>=', value: target } } : {}),
    },
  ]
}

/**
 * `POST /checkout` on PostgreSQL ÷ on SQLite, one signer each, in alternating rounds (which goes
 * first alternates too): the median of the rounds' ratios.
 */
async function pgVsSqlite(pg: string, sqlite: string, rounds = 3): Promise<Figure> {
  const ratios: number[] = []
  const rates: { pg: number; sqlite: number }[] = []
  for (let round = 0; round < rounds; round++) {
    const first = round % 2 === 0 ? pg : sqlite
    const a = await checkout(first)
    const b = await checkout(first === pg ? sqlite : pg)
    const [onPg, onSqlite] = first === pg ? [a, b] : [b, a]
    ratios.push(onPg.rps / onSqlite.rps)
    rates.push({ pg: onPg.rps, sqlite: onSqlite.rps })
  }
  return {
    name: 'checkout_pg_vs_sqlite',
    value: median(ratios),
    unit: 'ratio',
    target: { op: '>=', value: 0.4 },
    note: `alternating rounds, 10 connections each: ${rates.map((r) => `${Math.round(r.pg)} vs ${Math.round(r.sqlite)}`).join(', ')} req/s`,
  }
}

/**
 * `POST /checkout` (catalog pricing, order insert, CBUI signing) against Hono's hello world, same
 * generator, connections and duration: with SQLite (and SQLite in memory, the ceiling), with
 * PostgreSQL, and two signers sharing it; and PostgreSQL against SQLite directly.
 */
export async function checkoutBenchmark(): Promise<Figure[]> {
  const hello = await startChild<{ url: string }>('hello')
  const postgres = await startPostgres()
  const signers = [
    await startChild<{ url: string }>('checkout'),
    await startChild<{ url: string }>('checkout', { DATABASE_URL: postgres.url }),
    await startChild<{ url: string }>('checkout', { DATABASE_URL: postgres.url }),
    await startChild<{ url: string }>('checkout', { DATABASE_URL: 'file::memory:' }),
  ]
  try {
    const [sqlite, pgA, pgB, inMemory] = signers.map((s) => s.info.url) as [
      string,
      string,
      string,
      string,
    ]
    const floor = hello.info.url
    const helloRps = (await load({ url: floor })).rps
    const healthz = await againstFloor(floor, () =>
      load({ url: sqlite.replace(/checkout$/, 'healthz') })
    )
    const onSqlite = await againstFloor(floor, () => checkout(sqlite))
    const inMemoryRatio = (await againstFloor(floor, () => checkout(inMemory))).ratio
    const onPostgres = await againstFloor(floor, () => checkout(pgA))
    return [
      { name: 'hello_rps', value: helloRps, unit: 'req/s', note: 'Hono hello world, the floor' },
      ...figures(
        'healthz',
        "GET /healthz: the signer's middleware alone, the ceiling of any route",
        healthz,
        0.6
      ),
      ...figures('checkout', 'SQLite, 10 connections', onSqlite, 0.25),
      {
        name: 'checkout_memory_ratio',
        value: inMemoryRatio,
        unit: 'ratio',
        note: 'the same on SQLite in memory (no file, no WAL): how far checkout_ratio goes without the disk',
      },
      ...figures('checkout_pg', 'PostgreSQL, one signer', onPostgres),
      await pgVsSqlite(pgA, sqlite),
      ...figures(
        'checkout_pg_two',
        'PostgreSQL, two signers, 10 connections each',
        await againstFloor(floor, () => together([pgA, pgB]))
      ),
    ]
  } finally {
    await Promise.all([hello, ...signers].map((child) => child.stop()))
    await postgres.stop()
  }
}
