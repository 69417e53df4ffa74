/**
 * `POST /checkout` over HTTP, the signer's sources at a commit against the working tree (or, with
 * BASE..TARGET, against the sources at TARGET), on SQLite and on PostgreSQL (one database each),
 * in alternating rounds whose order alternates too: on a shared machine only ratios measured
 * side by side mean anything. Each server is `bench/servers/checkout.ts` in its own process.
 *
 *   npx tsx --conditions=source bench/checkout-side-by-side.ts [BASE[..TARGET]] [rounds]
 *
 * Prints each side's req/s per round and the median of the rounds' ratios, target ÷ base.
 */
import { startPostgres } from '@fps-checkout/signer/testing'
import { startChild } from './child.js'
import { load } from './load.js'
import { median } from './measure.js'
import { sourcesAt, TREE_SOURCES } from './sources.js'

const [refs = 'HEAD', roundsArg = '6'] = process.argv.slice(2)
const [base, target] = refs.split('..') as [string, string | undefined]
const sides = {
  [base]: sourcesAt(base, 'http-base'),
  [target ?? 'tree']: target ? sourcesAt(target, 'http-target') : TREE_SOURCES,
}
const body = JSON.stringify({ amount: '0.90', reason: 'Now and Forever', item: 'now-and-forever' })
const checkout = (url: string) =>
  load({ url, method: 'POST', headers: { 'content-type': 'application/json' }, body })

const databases = await Promise.all(Object.keys(sides).map(() => startPostgres()))
const servers = await Promise.all(
  Object.entries(sides).flatMap(([name, sources], i) => [
    startChild<{ url: string }>('checkout', { SIGNER_SOURCES: sources }).then((child) => ({
      name: `${name} SQLite`,
      child,
    })),
    startChild<{ url: string }>('checkout', {
      SIGNER_SOURCES: sources,
      DATABASE_URL: databases[i]!.url,
    }).then((child) => ({ name: `${name} PostgreSQL`, child })),
  ])
)
try {
  const rates = new Map(servers.map(({ name }) => [name, [] as number[]]))
  for (const { child } of servers) await checkout(child.info.url)
  for (let round = 0; round < Number(roundsArg); round++) {
    const order = round % 2 ? [...servers].reverse() : servers
    for (const { name, child } of order) rates.get(name)!.push((await checkout(child.info.url)).rps)
  }
  for (const [name, rps] of rates) console.log(`${name}: ${rps.map(Math.round).join(', ')} req/s`)
  const [baseName, targetName] = Object.keys(sides) as [string, string]
  for (const engine of ['SQLite', 'PostgreSQL']) {
    const was = rates.get(`${baseName} ${engine}`)!
    const now = rates.get(`${targetName} ${engine}`)!
    const ratio = median(now.map((rps, i) => rps / was[i]!))
    console.log(`${engine}: ${targetName} ÷ ${baseName} = ${ratio.toFixed(3)} (median of rounds)`)
  }
} finally {
  await Promise.all(servers.map(({ child }) => child.stop()))
  await Promise.all(databases.map((database) => database.stop()))
}
