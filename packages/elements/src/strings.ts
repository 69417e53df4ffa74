/**
 * The elements' default English text. Keys that are error codes (the signer's, docs/http-api.md,
 * and the elements' own: `network`, `unreachable`, `blocked`) give the buyer-facing message for
 * that error; `error` is the message for any other.
 */
export const defaults = {
  label: 'Pay with Amazon',
  /** The label of a plan's button (`every` set), before its price per period. */
  subscribe: 'Subscribe',
  /** Between a plan's price and its period of more than one unit: "$9.99 every 3 months". */
  every: 'every',
  busy: 'Starting checkout…',
  retry: 'Try again',
  error: 'Something went wrong.',
  network: 'No connection. Try again.',
  unreachable: 'Payments are unavailable. Try again later.',
  blocked: 'Payments are unavailable on this page.',
  price_mismatch: 'The price changed. Reload the page.',
  loading: 'Checking your payment…',
  success: 'Payment complete',
  refunded: 'Payment refunded',
  /** A plan's sign-up that starts a free trial: nothing is charged yet. */
  authorized: 'Free trial started',
  pending: 'Payment pending',
  failure: 'Payment failed',
  cancelled: 'Payment cancelled',
  rejected: 'Invalid payment link.',
  transaction: 'Transaction',
}

/** Text overrides, by the keys of {@link defaults} or by signer error code. */
export type Strings = Partial<typeof defaults> & Partial<Record<string, string>>
