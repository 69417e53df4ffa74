import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { ERROR_STATUS, type ErrorCode } from './http/contract.js'

export type { ErrorCode } from './http/contract.js'

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
