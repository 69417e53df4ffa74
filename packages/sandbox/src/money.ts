import { FpsFault } from './errors.js'

/** Amounts travel as decimal strings and live as integer cents, so no float ever touches money. */
export type Cents = number

const DECIMAL = /^(\d{1,12})(?:\.(\d+))?$/
/** FPS refused charges above this for CC and ACH; the sandbox applies it to every method. */
export const MAX_AMOUNT_CENTS = 1_000_000

/**
 * Parses a decimal amount such as `19.99` or FPS's own `1.000000` into cents; a fraction finer than
 * a cent is refused rather than rounded, because rounding money silently is how ledgers drift.
 */
export function parseAmount(value: string, parameter: string): Cents {
  const match = DECIMAL.exec(value.trim())
  const fraction = match?.[2] ?? ''
  if (!match || /[1-9]/.test(fraction.slice(2))) {
    throw new FpsFault(
      'InvalidParams',
      `${parameter} must be a decimal amount with at most two significant decimals, such as 19.99. Specified value: ${value}`
    )
  }
  return Number(match[1]) * 100 + Number(fraction.slice(0, 2).padEnd(2, '0'))
}

/** `1234` → `12.34`, the form used in IPNs and on the pages. */
export function formatAmount(cents: Cents): string {
  const sign = cents < 0 ? '-' : ''
  const abs = Math.abs(cents)
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
}

/** `1234` → `12.340000`: the six-decimal form FPS used inside XML `<Value>` elements. */
export function formatXmlAmount(cents: Cents): string {
  return `${formatAmount(cents)}0000`
}

/** A percentage such as `2.5` as basis points (250), exact like amounts. */
export function parsePercent(value: string, parameter: string): number {
  const basisPoints = parseAmount(value, parameter)
  if (basisPoints > 10_000) throw new FpsFault('InvalidParams', `${parameter} must be at most 100.`)
  return basisPoints
}

/** A share of an amount in basis points, rounded half-up to the cent (the marketplace variable fee). */
export function percentOf(cents: Cents, basisPoints: number): Cents {
  return Math.floor((cents * basisPoints + 5_000) / 10_000)
}
