/** Stable machine codes of the library's own errors; an {@link FpsError} carries FPS's code instead. */
export type ProtocolErrorCode =
  | 'invalid_parameter'
  | 'invalid_encoding'
  | 'signature_invalid'
  | 'certificate_not_allowed'
  | 'certificate_unavailable'
  | 'certificate_unreachable'
  | 'invalid_response'

/** The base of every error this package throws, so callers can branch on one `code`. */
export class ProtocolError extends Error {
  override name = 'ProtocolError'

  constructor(
    readonly code: ProtocolErrorCode | (string & {}),
    message: string,
    options?: ErrorOptions
  ) {
    super(message, options)
  }
}

/** A request parameter is missing or malformed; `parameter` names it so the caller can fix it. */
export class InvalidParameterError extends ProtocolError {
  override name = 'InvalidParameterError'

  constructor(
    readonly parameter: string,
    message: string
  ) {
    super('invalid_parameter', `${parameter}: ${message}`)
  }
}

/**
 * A signed message (return URL, IPN) could not be verified and must not be acted on. Only
 * `certificate_unreachable` (the certificate host did not answer) may succeed if tried again.
 */
export class SignatureError extends ProtocolError {
  override name = 'SignatureError'

  constructor(
    message: string,
    code:
      | 'signature_invalid'
      | 'certificate_not_allowed'
      | 'certificate_unavailable'
      | 'certificate_unreachable' = 'signature_invalid',
    options?: ErrorOptions
  ) {
    super(code, message, options)
  }
}

/** Details of an FPS API failure, as FPS reported it or as the transport saw it. */
export interface FpsErrorDetails {
  code: string
  message: string
  requestId?: string
  httpStatus?: number
  retriable: boolean
}

/**
 * An FPS API call failed: `code` is FPS's own (`InvalidParams`, `DuplicateRequest`, …) or
 * `NetworkFailure` / `MalformedResponse` when no answer could be read; `retriable` says whether the
 * same request may succeed later.
 */
export class FpsError extends ProtocolError {
  override name = 'FpsError'
  readonly requestId: string | undefined
  readonly httpStatus: number | undefined
  readonly retriable: boolean

  constructor(details: FpsErrorDetails, options?: ErrorOptions) {
    super(details.code, details.message, options)
    this.requestId = details.requestId
    this.httpStatus = details.httpStatus
    this.retriable = details.retriable
  }
}
