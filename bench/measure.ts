export type { Figure } from '@fps-checkout/e2e/figures'

/** Runs `fn` repeatedly for about `ms` milliseconds and answers its rate in operations per second. */
export function opsPerSecond(fn: () => unknown, ms: number): number {
  let operations = 0
  const start = process.hrtime.bigint()
  const budget = BigInt(ms) * 1_000_000n
  let elapsed = 0n
  while (elapsed < budget) {
    for (let i = 0; i < 256; i++) fn()
    operations += 256
    elapsed = process.hrtime.bigint() - start
  }
  return operations / (Number(elapsed) / 1e9)
}

/**
 * Measures two workloads in alternating rounds, so both see the same machine load: on shared
 * machines only ratios measured side by side mean anything. Answers each one's median rate and the
 * median of the per-round ratios a ÷ b.
 */
export function sideBySide(
  a: () => unknown,
  b: () => unknown,
  rounds = 9,
  ms = 150
): { a: number; b: number; ratio: number } {
  opsPerSecond(a, ms)
  opsPerSecond(b, ms)
  const ratesA: number[] = []
  const ratesB: number[] = []
  const ratios: number[] = []
  for (let round = 0; round < rounds; round++) {
    const rateA = opsPerSecond(a, ms)
    const rateB = opsPerSecond(b, ms)
    ratesA.push(rateA)
    ratesB.push(rateB)
    ratios.push(rateA / rateB)
  }
  return { a: median(ratesA), b: median(ratesB), ratio: median(ratios) }
}

/** The middle value, the figure least moved by a noisy neighbour. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}
