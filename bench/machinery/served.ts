import { readFileSync } from 'node:fs'
import { type ChildServer, startChild } from '../child.js'
import { type LoadResult, load } from '../load.js'
import { type Figure, median } from '../measure.js'
import { cpuMs, gain, medianRatio, type Piece } from './compare.js'
import { type Graft, machinery, replacing, variantSources } from './variants.js'

const ROUNDS = 5
/** The sandbox buyer's balance covers about a thousand purchases of $0.90 per variant. */
const PURCHASES_PER_ROUND = 200

/** Each write committed on its own, `synchronous` set by its durability: the stock path. */
const PER_WRITE_COMMITS = `
const SYNCHRONOUS = { disk: 'FULL', os: 'NORMAL' }
export function groupCommit(connection) {
  let synchronous
  return {
    async write(work, durability = 'disk') {
      if (durability !== synchronous) connection.exec('PRAGMA synchronous = ' + SYNCHRONOUS[durability])
      synchronous = durability
      connection.exec('BEGIN IMMEDIATE')
      try {
        const result = work()
        connection.exec('COMMIT')
        return result
      } catch (error) {
        if (connection.inTransaction) connection.exec('ROLLBACK')
        throw error
      }
    },
    async drain() {},
  }
}
`

/** The store as the machinery commit had it, without its checkpoint thread. */
const noCheckpointThread = replacing(
  'const checkpoints = connection.memory',
  'const checkpoints = true'
)

/** The signer's variants: the tree's, its store with per-write commits, and machinery put back. */
const VARIANTS: Record<string, Graft[]> = {
  per_write_commits: [{ path: 'store/sqlite-group-commit.ts', text: PER_WRITE_COMMITS }],
  tree: [],
  id_pool: [machinery('signer', 'ids.ts')],
  fdatasync_handle: [
    machinery('signer', 'store/sqlite.ts', noCheckpointThread),
    machinery('signer', 'store/group-commit.ts'),
    machinery('signer', 'store/wal-checkpoints.ts'),
  ],
  checkpoint_thread: [
    machinery('signer', 'store/sqlite.ts'),
    machinery('signer', 'store/group-commit.ts'),
    machinery('signer', 'store/wal-checkpoints.ts'),
  ],
}

/** Each store piece against the path that replaces it, or that it was built on. */
const STORE_PIECES: Piece[] = [
  { name: 'group_commit', with: 'tree', without: 'per_write_commits' },
  { name: 'fdatasync_handle', with: 'fdatasync_handle', without: 'tree' },
  { name: 'checkpoint_thread', with: 'checkpoint_thread', without: 'fdatasync_handle' },
]

/** A signer under load: where it listens, and its process, for its CPU time. */
interface Served {
  url: string
  pid: number
}

/** One variant's round: throughput, p99 and the signer's CPU per request. */
interface Round {
  rps: number
  p99: number
  cpuMs: number
}

/** `POST /checkout` on SQLite per signer variant: the id pool and each store piece. */
export async function checkoutMachinery(): Promise<Figure[]> {
  const children: ChildServer<{ url: string }>[] = []
  try {
    const servers: Record<string, Served> = {}
    for (const [name, grafts] of Object.entries(VARIANTS)) {
      const child = await startChild<{ url: string }>('checkout', {
        SIGNER_SOURCES: variantSources('signer', `checkout-${name}`, grafts),
      })
      children.push(child)
      servers[name] = child.info
    }
    const body = JSON.stringify({
      amount: '0.90',
      reason: 'Now and Forever',
      item: 'now-and-forever',
    })
    const measured = await rounds(servers, (_name, { url }) =>
      load({ url, method: 'POST', headers: { 'content-type': 'application/json' }, body })
    )
    return figures('checkout', measured, [
      { name: 'id_pool', with: 'id_pool', without: 'tree' },
      ...STORE_PIECES,
    ])
  } finally {
    await Promise.all(children.map((child) => child.stop()))
  }
}

/** Complete purchases through `/return` (as purchase.ts) per store variant. */
export async function purchaseMachinery(): Promise<Figure[]> {
  const names = ['per_write_commits', 'tree', 'fdatasync_handle', 'checkpoint_thread']
  const children: ChildServer<{ url: string; file: string; signerPid: number }>[] = []
  try {
    const prepared = await Promise.all(
      names.map(async (name) => {
        const child = await startChild<{ url: string; file: string; signerPid: number }>(
          'purchase',
          {
            PURCHASES: String(PURCHASES_PER_ROUND * ROUNDS),
            SIGNER_SOURCES: variantSources('signer', `purchase-${name}`, VARIANTS[name]),
          }
        )
        children.push(child)
        const { url, file, signerPid } = child.info
        const queries = JSON.parse(readFileSync(file, 'utf8')) as string[]
        return [name, { url, pid: signerPid, queries }] as const
      })
    )
    const servers = Object.fromEntries(prepared)
    const measured = await rounds(servers, (name, { url }, round) =>
      load({
        url,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        bodies: (servers[name]?.queries ?? [])
          .slice(round * PURCHASES_PER_ROUND, (round + 1) * PURCHASES_PER_ROUND)
          .map((query) => JSON.stringify({ query })),
        describeFailures: true,
      })
    )
    return figures('purchase', measured, STORE_PIECES)
  } finally {
    await Promise.all(children.map((child) => child.stop()))
  }
}

/** `ROUNDS` rounds of load, each variant in turn in each; the signer's CPU read from /proc. */
async function rounds(
  servers: Record<string, Served>,
  run: (name: string, server: Served, round: number) => Promise<LoadResult>
): Promise<Record<string, Round[]>> {
  const results: Record<string, Round[]> = Object.fromEntries(
    Object.keys(servers).map((name) => [name, []])
  )
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, server] of Object.entries(servers)) {
      const before = cpuMs(server.pid)
      const result = await run(name, server, round)
      const failures = result.errors + result.non2xx
      if (failures) throw new Error(`${name}: ${failures} failed (${result.firstFailure ?? ''})`)
      results[name]?.push({
        rps: result.rps,
        p99: result.p99,
        cpuMs: (cpuMs(server.pid) - before) / result.requests,
      })
    }
  }
  return results
}

/** Each variant's medians, then each piece's gains, with ÷ without (for costs, without ÷ with). */
function figures(workload: string, measured: Record<string, Round[]>, pieces: Piece[]): Figure[] {
  const of = (name: string, key: keyof Round) => (measured[name] ?? []).map((round) => round[key])
  return [
    ...Object.keys(measured).map(
      (name): Figure => ({
        name: `${workload}_${name}_rps`,
        value: median(of(name, 'rps')),
        unit: 'req/s',
        note: `p99 ${median(of(name, 'p99'))} ms, signer CPU ${median(of(name, 'cpuMs')).toFixed(3)} ms a request`,
      })
    ),
    ...pieces.flatMap((piece) => [
      gain(
        piece.name,
        `${workload}_rps`,
        medianRatio(of(piece.with, 'rps'), of(piece.without, 'rps'))
      ),
      gain(
        piece.name,
        `${workload}_cpu`,
        medianRatio(of(piece.without, 'cpuMs'), of(piece.with, 'cpuMs'))
      ),
      gain(
        piece.name,
        `${workload}_p99`,
        medianRatio(of(piece.without, 'p99'), of(piece.with, 'p99'))
      ),
    ]),
  ]
}
