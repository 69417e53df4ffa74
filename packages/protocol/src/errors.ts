/** Stable machine codes for everything the protocol library can throw. */
export type ProtocolErrorCode =
  | 'invalid_parameter'
  | 'invalid_encoding'
  | 'signature_invalid'
  | 'certificate_not_allowed'
  | 'certificate_unavailable'
  | 'fps_error'
  | 'network_error'
  | 'invalid_response'

/** The base of every error this package throws, so callers can branch on one `code`. */
export class ProtocolError extends Error {
  override name = 'ProtocolError'

  constructor(
    readonly code: ProtocolErrorCode,
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

/** A signed message (return URL, IPN) failed verification and must not be acted on. */
export class SignatureError extends ProtocolError {
  override name = 'SignatureError'

  constructor(
    message: string,
    code:
      | 'signature_invalid'
      | 'certificate_not_allowed'
      | 'certificate_unavailable' = 'signature_invalid',
    options?: ErrorOptions
  ) {
    super(code, message, options)
  }
}
