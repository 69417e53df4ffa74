import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { SCALE } from './scale.js'

/** One figure of a reliability run or a benchmark (bench/ uses this shape and `table`). */
export interface Figure {
  name: string
  value: number
  unit: string
  target?: { op: '>=' | '<='; value: number }
  note?: string
}

/** A count whose target is zero: lost orders, double charges, server errors. */
export function none(name: string, value: number, unit: string, note?: string): Figure {
  return {
    name,
    value,
    unit,
    target: { op: '<=', value: 0 },
    ...(note === undefined ? {} : { note }),
  }
}

/** Where every run's figures land, at the repository root beside bench-results.json. */
export const RESULTS_FILE = fileURLToPath(new URL('../../../chaos-results.json', import.meta.url))

/** `ok` or `MISSED` against the figure's target. */
export function meets(figure: Figure): string {
  if (!figure.target) return ''
  const { op, value } = figure.target
  const ok = op === '>=' ? figure.value >= value : figure.value <= value
  return `${ok ? 'ok' : 'MISSED'} (target ${op} ${value})`
}

function format(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString('en-US')
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(3)
}

/** The figures as aligned columns: name, value, unit, target verdict, note. */
export function table(figures: readonly Figure[]): string {
  const rows = figures.map((f) => [f.name, format(f.value), f.unit, meets(f), f.note ?? ''])
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((row) => row[i]?.length ?? 0)))
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === 1 ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd()
    )
    .join('\n')
}

/** A figure as the results file keeps it: which run wrote it, at which scale. */
export type Result = Figure & { group: string; scale: string }

/** The figures in the results file, one JSON object a line. */
export function readResults(): Result[] {
  if (!existsSync(RESULTS_FILE)) return []
  return readFileSync(RESULTS_FILE, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Result)
}

/**
 * Prints one run's table and puts its figures in the results file in place of the group's earlier
 * ones; figures of the other scale go, so the file holds one scale's latest run of each group.
 */
export function report(group: string, title: string, figures: readonly Figure[]): void {
  console.log(`${title} (${SCALE.name})\n${table(figures)}`)
  const kept = readResults().filter((f) => f.scale === SCALE.name && f.group !== group)
  const lines = [...kept, ...figures.map((f) => ({ ...f, group, scale: SCALE.name }))]
  writeFileSync(RESULTS_FILE, `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`)
}
