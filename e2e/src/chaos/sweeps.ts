import type { Signer, SweepReport } from '@fps-checkout/signer'

/**
 * Sweeps up to `rounds` times, until a round finds nothing of what `work` counts; answers the sums
 * of every round's report. A run's last word on what the crashes left behind.
 */
export async function sweepUntilQuiet(
  signer: Pick<Signer, 'sweep'>,
  rounds: number,
  work: (report: SweepReport) => number
): Promise<SweepReport> {
  const total = await signer.sweep()
  let last = total
  for (let round = 1; round < rounds && work(last) > 0; round++) {
    last = await signer.sweep()
    for (const field of Object.keys(total) as (keyof SweepReport)[]) total[field] += last[field]
  }
  return total
}
