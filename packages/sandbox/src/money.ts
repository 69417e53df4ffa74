import { type Cents, parseFpsAmount } from '@fps-checkout/protocol'
import { FpsFault } from './errors.js'

export type { Cents } from '@fps-checkout/protocol'

/** FPS refused charges above this for CC and ACH; the sandbox applies it to every method. */
export const MAX_AMOUNT_CENTS = 1_000_000

/**
 * Reads an amount as FPS took it (`19.99`, or its own `1.000000`) into cents; a fraction finer than
 * a cent is refused rather than rounded, because rounding money silently is how ledgers drift.
 */
export function parseAmount(value: string, parameter: string): Cents {
  const cents = parseFpsAmount(value)
  if (cents === undefined) {
    throw new FpsFault(
      'InvalidParams',
      `${parameter} must be a decimal amount with at most two significant decimals, such as 19.99. Specified value: ${value}`
    )
  }
  return cents
}

/** A percentage from 0 to 100 such as `2.5` as basis points (250), exact like amounts; undefined otherwise. */
export function toBasisPoints(value: string): number | undefined {
  const basisPoints = parseFpsAmount(value)
  return basisPoints !== undefined && basisPoints <= 10_000 ? basisPoints : undefined
}

/** A percentage such as `2.5` as basis points (250); throws InvalidParams naming the parameter otherwise. */
export function parsePercent(value: string, parameter: string): number {
  const basisPoints = toBasisPoints(value)
  if (basisPoints === undefined) {
    throw new FpsFault(
      'InvalidParams',
      `${parameter} must be a percentage from 0 to 100. Specified value: ${value}`
    )
  }
  return basisPoints
}

/** A share of an amount in basis points, rounded half-up to the cent (the marketplace variable fee). */
export function percentOf(cents: Cents, basisPoints: number): Cents {
  return Math.floor((cents * basisPoints + 5_000) / 10_000)
}
