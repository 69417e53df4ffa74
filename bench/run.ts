import { writeFileSync } from 'node:fs'
import { table } from '@fps-checkout/e2e/figures'
import { checkoutBenchmark } from './checkout.js'
import { clickBenchmark } from './click.js'
import { growthBenchmark } from './growth.js'
import { machineryBenchmark } from './machinery.js'
import type { Figure } from './measure.js'
import { purchaseBenchmark } from './purchase.js'
import { signBenchmark } from './sign.js'
import { widgetBenchmark } from './widget.js'

/** Every benchmark, in the order the table prints them. */
const benchmarks: Record<string, () => Figure[] | Promise<Figure[]>> = {
  signing: signBenchmark,
  widget: widgetBenchmark,
  checkout: checkoutBenchmark,
  purchase: purchaseBenchmark,
  click: clickBenchmark,
  machinery: machineryBenchmark,
  growth: growthBenchmark,
}

/**
 * Run only when named: `machinery` weighs machinery against the stock path, for several minutes;
 * `growth` measures at a million orders (seeding them first, once, for several minutes).
 */
const onRequest = new Set(['machinery', 'growth'])

/** `pnpm bench checkout purchase` runs only those groups; no names runs every one but `onRequest`. */
const chosen = process.argv.slice(2)
const unknown = chosen.filter((name) => !(name in benchmarks))
if (unknown.length) {
  console.error(
    `unknown benchmark: ${unknown.join(', ')}; known: ${Object.keys(benchmarks).join(', ')}`
  )
  process.exit(2)
}

const figures: Figure[] = []
for (const [group, run] of Object.entries(benchmarks)) {
  if (chosen.length ? !chosen.includes(group) : onRequest.has(group)) continue
  process.stderr.write(`running ${group}…\n`)
  figures.push(...(await run()))
}
console.log(table(figures))
writeFileSync('bench-results.json', `${figures.map((f) => JSON.stringify(f)).join('\n')}\n`)
