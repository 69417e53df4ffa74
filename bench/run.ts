import { writeFileSync } from 'node:fs'
import { checkoutBenchmark } from './checkout.js'
import { clickBenchmark } from './click.js'
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
}

function meets(figure: Figure): string {
  if (!figure.target) return ''
  const { op, value } = figure.target
  const ok = op === '>=' ? figure.value >= value : figure.value <= value
  return `${ok ? 'ok' : 'MISSED'} (target ${op} ${value})`
}

function format(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(3)
}

const figures: Figure[] = []
for (const [group, run] of Object.entries(benchmarks)) {
  process.stderr.write(`running ${group}…\n`)
  figures.push(...(await run()))
}
const rows = figures.map((f) => [f.name, format(f.value), f.unit, meets(f), f.note ?? ''])
const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((row) => row[i]?.length ?? 0)))
for (const row of rows) {
  console.log(
    row
      .map((cell, i) => (i === 1 ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd()
  )
}
writeFileSync('bench-results.json', `${figures.map((f) => JSON.stringify(f)).join('\n')}\n`)
