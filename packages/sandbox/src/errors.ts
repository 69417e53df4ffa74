/** The FPS error codes the sandbox answers with; each is documented in FPS's error table. */
export type FpsErrorCode =
  | 'AccountLimitsExceeded'
  | 'AmountOutOfRange'
  | 'DuplicateRequest'
  | 'IncompatibleTokens'
  | 'InsufficientBalance'
  | 'InternalError'
  | 'InvalidAccountState_Recipient'
  | 'InvalidAccountState_Sender'
  | 'InvalidCallerReference'
  | 'InvalidClientTokenId'
  | 'InvalidParameterValue'
  | 'InvalidParams'
  | 'InvalidRequest'
  | 'InvalidTokenId'
  | 'InvalidTokenId_Recipient'
  | 'InvalidTokenId_Sender'
  | 'InvalidTokenType'
  | 'InvalidTransactionId'
  | 'InvalidTransactionState'
  | 'NotMarketplaceApp'
  | 'OriginalTransactionFailed'
  | 'OriginalTransactionIncomplete'
  | 'PrepaidFundingLimitExceeded'
  | 'RefundAmountExceeded'
  | 'RequestExpired'
  | 'SameSenderAndRecipient'
  | 'SameTokenIdUsedMultipleTimes'
  | 'ServiceUnavailable'
  | 'SettleAmountGreaterThanDebt'
  | 'SettleAmountGreaterThanReserveAmount'
  | 'SignatureDoesNotMatch'
  | 'TokenNotActive_Recipient'
  | 'TokenNotActive_Sender'
  | 'TokenUsageError'
  | 'TransactionDenied'
  | 'TransactionFullyRefundedAlready'
  | 'TransactionTypeNotRefundable'
  | 'UnverifiedEmailAddress_Recipient'
  | 'UnverifiedEmailAddress_Sender'

/** Authentication failures are 403 as in every AWS Query API; FPS's documented example is a 400. */
const HTTP_STATUS: Partial<Record<FpsErrorCode, number>> = {
  InvalidClientTokenId: 403,
  SignatureDoesNotMatch: 403,
  InternalError: 500,
  ServiceUnavailable: 503,
}

/** The base of everything the sandbox throws on purpose, with a stable machine `code`. */
export class SandboxError extends Error {
  override name = 'SandboxError'

  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    options?: ErrorOptions
  ) {
    super(message, options)
  }
}

/** An FPS API error: answered as `<Response><Errors>` XML with the FPS code and its HTTP status. */
export class FpsFault extends SandboxError {
  override name = 'FpsFault'

  constructor(
    override readonly code: FpsErrorCode,
    message: string
  ) {
    super(code, message, HTTP_STATUS[code] ?? 400)
  }
}

/** A sandbox option or CLI flag is missing or malformed; the message names it. */
export class ConfigError extends SandboxError {
  override name = 'ConfigError'

  constructor(message: string) {
    super('config_invalid', message, 500)
  }
}
