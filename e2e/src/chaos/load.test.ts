import type { Harness } from '@fps-checkout/signer/testing'
import autocannon from 'autocannon'
import Database from 'libsql'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { none } from '../figures.js'
import { report } from './figures.js'
import { settledMemory } from './memory.js'
import { startRig, UNLIMITED_CHECKOUTS } from './rig.js'
import { SCALE } from './scale.js'

const CONNECTIONS = 50
/** Live heap may grow this much over the run (after full collections) and still count as stable. */
const HEAP_GROWTH_LIMIT_MB = 16

let h: Harness

beforeAll(async () => {
  // checkoutRateLimit is lifted (startRig): at its default of 30 a minute per client, every
  // request after the 30th from 127.0.0.1 would be a 429.
  h = await startRig()
})
afterAll(() => h?.close())

/** `POST /checkout` with a valid body from `CONNECTIONS` keep-alive connections for `seconds`. */
function hammer(seconds: number) {
  return autocannon({
    url: `${h.signerUrl}/checkout`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ amount: '1.00', reason: 'Load' }),
    connections: CONNECTIONS,
    duration: seconds,
  })
}

/** Orders in the signer's SQLite file, counted by the database itself. */
function storedOrders(): number {
  const db = new Database(h.signerOptions.databaseUrl!.replace(/^file:/, ''), { readonly: true })
  try {
    const row = db.prepare('SELECT count(*) AS n FROM orders').get() as { n: number }
    return Number(row.n)
  } finally {
    db.close()
  }
}

it(
  `serves ${SCALE.loadSeconds} s of checkouts at ${CONNECTIONS} connections without an error, memory stable`,
  async () => {
    const warmUp = await hammer(Math.max(1, Math.round(SCALE.loadSeconds / 10)))
    const before = settledMemory()
    const run = await hammer(SCALE.loadSeconds)
    const after = settledMemory()
    const answered = warmUp['2xx'] + run['2xx']
    const stored = storedOrders()
    const errors = run.errors + run.timeouts + warmUp.errors + warmUp.timeouts
    const growth = after.heapMb - before.heapMb
    report('load', 'Load on POST /checkout', [
      {
        name: 'load_seconds',
        value: SCALE.loadSeconds,
        unit: 's',
        note: `${CONNECTIONS} connections, autocannon in-process`,
      },
      { name: 'load_requests', value: run.requests.total, unit: 'requests' },
      {
        name: 'load_rps',
        value: run.requests.average,
        unit: 'req/s',
        note: `checkoutRateLimit lifted to ${UNLIMITED_CHECKOUTS.limit.toLocaleString('en-US')}/min`,
      },
      { name: 'load_p99', value: run.latency.p99, unit: 'ms' },
      none('load_errors', errors, 'requests', 'socket errors and timeouts'),
      none('load_non_2xx', run.non2xx + warmUp.non2xx, 'answers'),
      none(
        'load_orders_unstored',
        Math.max(0, answered - stored),
        'orders',
        `${stored} rows for ${answered} 2xx answers; autocannon drops those in flight at its end`
      ),
      { name: 'load_rss_before', value: before.rssMb, unit: 'MiB' },
      { name: 'load_rss_after', value: after.rssMb, unit: 'MiB' },
      { name: 'load_heap_before', value: before.heapMb, unit: 'MiB', note: 'after full GC' },
      { name: 'load_heap_after', value: after.heapMb, unit: 'MiB', note: 'after full GC' },
      {
        name: 'load_heap_growth',
        value: growth,
        unit: 'MiB',
        target: { op: '<=', value: HEAP_GROWTH_LIMIT_MB },
      },
    ])

    expect(run.requests.total).toBeGreaterThan(0)
    expect(errors).toBe(0)
    expect(run.non2xx + warmUp.non2xx).toBe(0)
    // Each of the two runs may stop with one request per connection in flight: stored, not counted.
    expect(stored).toBeGreaterThanOrEqual(answered)
    expect(stored).toBeLessThanOrEqual(answered + 2 * CONNECTIONS)
    expect(growth).toBeLessThanOrEqual(HEAP_GROWTH_LIMIT_MB)
  },
  SCALE.timeoutMs
)
