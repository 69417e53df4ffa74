/**
 * @module Money as FPS carries it: amounts travel as decimal strings and live as integer cents, so
 * no float ever touches money. FPS took US dollars in whole cents.
 */

/** An amount in integer US cents. */
export type Cents = number

/**
 * The plain decimal form: no sign, no exponent, no spaces, no leading zero, one or two decimals
 * after a digit (`5`, `0.9`, `19.99`), and at most ten whole digits, so cents stay exact integers.
 */
const PLAIN_AMOUNT = /^(0|[1-9]\d{0,9})(?:\.(\d{1,2}))?$/

/** Zeros written past the cent, as in FPS's `1.500000`. */
const ZEROS_PAST_THE_CENT = /(\.\d{1,2})0+$/

/**
 * Reads an amount the checkout writes or takes in (a buyer's amount, the catalog, a CBUI pipeline
 * parameter) as cents: only the plain form, `0.9`, `12` or `19.99`; anything else is undefined.
 */
export function parseAmount(text: string): Cents | undefined {
  const match = PLAIN_AMOUNT.exec(text)
  if (!match) return undefined
  const [, whole = '0', fraction = ''] = match
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'))
}

/**
 * Reads an amount as FPS wrote it (IPNs, XML `<Value>`s) and so as its API took it back, as cents.
 * It differs from {@link parseAmount} only in allowing zeros past the cent (`1.500000`), because
 * FPS wrote six decimals and callers send such values back; a fraction of a cent is still refused.
 */
export function parseFpsAmount(text: string): Cents | undefined {
  return parseAmount(text.replace(ZEROS_PAST_THE_CENT, '$1'))
}

/** Writes cents in the plain form with two decimals: `90` → `0.90`, `-10` → `-0.10`. */
export function formatCents(cents: Cents): string {
  const sign = cents < 0 ? '-' : ''
  const abs = Math.abs(cents)
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
}

/** Writes cents in the six-decimal form FPS used inside XML `<Value>` elements: `1234` → `12.340000`. */
export function formatXmlAmount(cents: Cents): string {
  return `${formatCents(cents)}0000`
}
