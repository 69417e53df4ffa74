import { readFileSync } from 'node:fs'
import { startChild } from './child.js'
import { againstFloor, load } from './load.js'
import type { Figure } from './measure.js'

const PURCHASES_PER_ROUND = 300
const ROUNDS = 3

/**
 * Complete purchases through the signer's `/return` (RSA verification, the stored Pay sent to the
 * local sandbox, the outcome stored), each a buyer who authorized on the CBUI pages, against
 * Hono's hello world.
 */
export async function purchaseBenchmark(): Promise<Figure[]> {
  const hello = await startChild<{ url: string }>('hello')
  const stack = await startChild<{ url: string; file: string }>('purchase', {
    PURCHASES: String(PURCHASES_PER_ROUND * ROUNDS),
  })
  try {
    const queries = JSON.parse(readFileSync(stack.info.file, 'utf8')) as string[]
    let round = 0
    const measured = await againstFloor(
      hello.info.url,
      () => {
        const slice = queries.slice(round * PURCHASES_PER_ROUND, ++round * PURCHASES_PER_ROUND)
        return load({
          url: stack.info.url,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          bodies: slice.map((query) => JSON.stringify({ query })),
          describeFailures: true,
        })
      },
      ROUNDS
    )
    return [
      {
        name: 'purchase_rps',
        value: measured.work.rps,
        unit: 'purchases/s',
        note: `${PURCHASES_PER_ROUND} returns a round, 10 connections`,
      },
      { name: 'purchase_p99_ms', value: measured.work.p99, unit: 'ms' },
      {
        name: 'purchase_failures',
        value: measured.work.errors + measured.work.non2xx,
        unit: 'requests',
        target: { op: '<=', value: 0 },
        ...(measured.work.firstFailure ? { note: `first: ${measured.work.firstFailure}` } : {}),
      },
      {
        name: 'purchase_ratio',
        value: measured.ratio,
        unit: 'ratio',
        target: { op: '>=', value: 0.1 },
      },
    ]
  } finally {
    await Promise.all([hello.stop(), stack.stop()])
  }
}
