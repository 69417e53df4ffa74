/** The `status` codes CBUI appends to the return URL. */
export type ReturnStatusCode =
  | 'SA'
  | 'SB'
  | 'SC'
  | 'SE'
  | 'A'
  | 'CE'
  | 'PE'
  | 'NP'
  | 'NM'
  | 'SR'
  | 'SU'

/** What a return status means for the caller, independent of the two-letter code. */
export type ReturnOutcome =
  | 'success'
  | 'abandoned'
  | 'caller-error'
  | 'system-error'
  | 'payment-method-mismatch'
  | 'not-supported'
  | 'not-registered'

/** The payment methods a sender can authorize. */
export type PaymentMethod = 'ABT' | 'ACH' | 'CC'

/** A return status code, its outcome and, for sender tokens, the payment method the buyer chose. */
export interface ReturnStatus {
  code: ReturnStatusCode
  outcome: ReturnOutcome
  paymentMethod?: PaymentMethod
  description: string
}

const STATUSES: Record<ReturnStatusCode, Omit<ReturnStatus, 'code'>> = {
  SA: {
    outcome: 'success',
    paymentMethod: 'ABT',
    description: 'Authorized with the Amazon Payments balance.',
  },
  SB: { outcome: 'success', paymentMethod: 'ACH', description: 'Authorized with a bank account.' },
  SC: { outcome: 'success', paymentMethod: 'CC', description: 'Authorized with a credit card.' },
  SR: { outcome: 'success', description: 'The recipient token was installed.' },
  SU: { outcome: 'success', description: 'The token was edited but nothing changed.' },
  SE: { outcome: 'system-error', description: 'FPS had a system error; the buyer may try again.' },
  A: { outcome: 'abandoned', description: 'The buyer cancelled on the payment pages.' },
  CE: {
    outcome: 'caller-error',
    description: 'The request to FPS was malformed (see errorMessage).',
  },
  PE: {
    outcome: 'payment-method-mismatch',
    description: 'The buyer has none of the requested payment methods.',
  },
  NP: {
    outcome: 'not-supported',
    description: 'The account type does not support the payment method.',
  },
  NM: {
    outcome: 'not-registered',
    description: 'The caller is not registered as a third-party caller.',
  },
}

/** Narrows an untrusted value to a known return status code. */
export function isReturnStatusCode(value: unknown): value is ReturnStatusCode {
  return typeof value === 'string' && Object.hasOwn(STATUSES, value)
}

/** Maps a return status code to its outcome, so callers branch on meaning rather than letters. */
export function describeReturnStatus(code: ReturnStatusCode): ReturnStatus {
  return { code, ...STATUSES[code] }
}
