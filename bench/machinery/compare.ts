import { readFileSync } from 'node:fs'
import { type Figure, median, opsPerSecond } from '../measure.js'

/** A piece of machinery: the variant with it and the one without it. */
export interface Piece {
  name: string
  with: string
  without: string
}

/** A piece's gain on one figure, with ÷ without; it earns its place at 1.5. */
export function gain(piece: string, figure: string, ratio: number): Figure {
  return {
    name: `${piece}_gain_${figure}`,
    value: ratio,
    unit: '×',
    target: { op: '>=', value: 1.5 },
  }
}

/** Rates of several workloads measured in alternating rounds, so all see the same machine. */
export function interleaved(
  workloads: Record<string, () => unknown>,
  rounds = 9,
  ms = 150
): Record<string, number[]> {
  const rates: Record<string, number[]> = Object.fromEntries(
    Object.keys(workloads).map((name) => [name, []])
  )
  for (const fn of Object.values(workloads)) opsPerSecond(fn, ms)
  for (let round = 0; round < rounds; round++) {
    for (const [name, fn] of Object.entries(workloads)) rates[name]?.push(opsPerSecond(fn, ms))
  }
  return rates
}

/** The median of the per-round ratios a ÷ b. */
export function medianRatio(a: readonly number[], b: readonly number[]): number {
  return median(a.map((value, i) => value / (b[i] ?? Number.NaN)))
}

/** CPU a process has used so far, all threads, user and system, in milliseconds (from /proc). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // utime and stime, fields 14 and 15, in USER_HZ ticks (100 a second on Linux)
  return (Number(fields[11]) + Number(fields[12])) * 10
}
