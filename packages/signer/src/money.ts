/**
 * Amounts travel as decimal strings and are compared as integer cents, so no float ever touches
 * money. FPS takes US dollars with at most two decimals.
 */

/** The largest amount accepted, so cents fit the databases' 32-bit integers. */
export const MAX_CENTS = 999_999_999

const DECIMAL = /^(0|[1-9]\d{0,6})(?:\.(\d{1,2}))?$/

/** Parses `"0.90"`, `"0.9"` or `"12"` into cents; anything else (signs, exponents, spaces) is undefined. */
export function toCents(amount: string): number | undefined {
  const match = DECIMAL.exec(amount)
  if (!match) return undefined
  const [, whole = '0', fraction = ''] = match
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'))
}

/** Writes cents as FPS expects them: `90` → `"0.90"`. */
export function formatCents(cents: number): string {
  const whole = Math.floor(cents / 100)
  const fraction = String(cents % 100).padStart(2, '0')
  return `${whole}.${fraction}`
}
