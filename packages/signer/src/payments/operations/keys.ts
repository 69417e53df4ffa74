/**
 * The key of each stored operation of an order; the database lets each exist once, so a retry, a
 * second process or the sweep finds the request stored first instead of making a second one.
 * Every key the signer stores or looks up is made here.
 */
export const operationKey = {
  /** The order's one Pay or Reserve. */
  charge: (callerReference: string) => `charge:${callerReference}`,
  /** The Settle of the order's reservation. */
  settle: (callerReference: string) => `settle:${callerReference}`,
  /** The Cancel of the order's pending payment or reservation. */
  cancel: (callerReference: string) => `cancel:${callerReference}`,
  /** One refund, by its own FPS CallerReference (see {@link refundReference}). */
  refund: (refundReference: string) => `refund:${refundReference}`,
} as const

/** The CallerReference of an order's `number`th refund: FPS needs a fresh one for each refund. */
export function refundReference(callerReference: string, number: number): string {
  return `${callerReference}-refund-${number}`
}

/** The CallerReference of the one refund an approved refund request makes, found again by it. */
export function requestRefundReference(request: { callerReference: string; id: string }): string {
  return `${request.callerReference}-refund-${request.id}`
}

/**
 * The callerReference of a subscription's try at a period, its order's and FPS's: the sign-up
 * order is the first period's first try, unless it began a free trial and only authorized; every
 * other try is its own, so FPS refuses to charge the same try twice and a failed try can be made
 * again under a new one.
 */
export function periodReference(
  subscription: { callerReference: string; trialEndsAt: string | undefined },
  period: number,
  attempt: number
): string {
  const signUpPays = period === 1 && attempt === 1 && !subscription.trialEndsAt
  return signUpPays
    ? subscription.callerReference
    : `${subscription.callerReference}-${period}-${attempt}`
}
