import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { type Figure, table } from '../figures.js'
import { SCALE } from './scale.js'

/** Where every run's figures land, at the repository root beside bench-results.json. */
export const RESULTS_FILE = fileURLToPath(new URL('../../../chaos-results.json', import.meta.url))

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
