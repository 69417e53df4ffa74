import { randomInt } from 'node:crypto'

/** Numbers in [0, 1) from a generator that gives the same numbers for the same seed. */
export type Random = () => number

/**
 * A run's seed: `CHAOS_SEED` when set, to repeat a run's choices, else a fresh one. Printed, and
 * the run puts it in its figures too, so a failing run can be repeated with the same choices.
 */
export function runSeed(run: string): number {
  const given = process.env.CHAOS_SEED
  const seed = given === undefined ? randomInt(2 ** 31) : Number(given)
  if (!Number.isSafeInteger(seed)) throw new Error(`CHAOS_SEED must be an integer, not "${given}".`)
  console.log(`${run}: seed ${seed} (CHAOS_SEED=${seed} repeats its choices)`)
  return seed
}

/** mulberry32: a small PRNG, the same numbers for the same seed. */
export function seeded(seed: number): Random {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = Math.imul(state ^ (state >>> 15), state | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/**
 * The numbers one part of a run (`part`: the dropper, the buyers) draws from the run's seed. Each
 * part has its own, so parts drawing at interleaved, timing-dependent moments never shift each
 * other's choices.
 */
export function stream(seed: number, part: string): Random {
  let hash = seed >>> 0
  for (const char of part) hash = Math.imul(hash ^ (char.codePointAt(0) ?? 0), 0x01000193) >>> 0
  return seeded(hash)
}

/** An integer in [min, max) drawn from `random`. */
export function integer(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min))
}
