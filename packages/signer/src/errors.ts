import type { ContentfulStatusCode } from 'hono/utils/http-status'

/** Every stable machine code the signer answers with, and its HTTP status (see docs/http-api.md). */
export const ERROR_STATUS = {
  invalid_request: 400,
  invalid_return: 400,
  unauthorized: 401,
  origin_not_allowed: 403,
  signature_invalid: 403,
  return_not_bound: 403,
  not_found: 404,
  order_not_found: 404,
  idempotency_conflict: 409,
  invalid_order_state: 409,
  payload_too_large: 413,
  unknown_item: 422,
  price_mismatch: 422,
  amount_out_of_bounds: 422,
  invalid_amount: 422,
  logo_not_allowed: 422,
  rate_limited: 429,
  internal_error: 500,
  invalid_config: 500,
  upstream_error: 502,
  store_unavailable: 503,
  operation_in_flight: 503,
} as const satisfies Record<string, ContentfulStatusCode>

/** A stable machine code a client or an operator can branch on. */
export type ErrorCode = keyof typeof ERROR_STATUS

/** Extra facts an error carries to its JSON answer. */
export interface SignerErrorOptions extends ErrorOptions {
  /** For `upstream_error`: whether the same request may succeed if tried again. */
  retriable?: boolean
  /** For `rate_limited`: seconds until the client may try again. */
  retryAfter?: number
}

/** The base of every error the signer raises; its message is safe to show a client. */
export class SignerError extends Error {
  override name = 'SignerError'
  readonly retriable: boolean | undefined
  readonly retryAfter: number | undefined

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: SignerErrorOptions = {}
  ) {
    super(message, options)
    this.retriable = options.retriable
    this.retryAfter = options.retryAfter
  }

  get status(): ContentfulStatusCode {
    return ERROR_STATUS[this.code]
  }
}

/** A missing or malformed setting; the message is one line that names it and never its value. */
export class ConfigError extends SignerError {
  override name = 'ConfigError'

  constructor(
    readonly setting: string,
    problem: string
  ) {
    super('invalid_config', `${setting}: ${problem}`)
  }
}
