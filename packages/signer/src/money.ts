import { type Cents, parseAmount } from '@fps-checkout/protocol'

export { formatCents } from '@fps-checkout/protocol'

/** The largest amount the signer takes, so cents fit the databases' 32-bit integers. */
export const MAX_CENTS = 999_999_999

/** Reads an amount as the protocol's {@link parseAmount} does, refusing more than the signer can store. */
export function toCents(amount: string): Cents | undefined {
  const cents = parseAmount(amount)
  return cents !== undefined && cents <= MAX_CENTS ? cents : undefined
}
