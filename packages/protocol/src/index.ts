/**
 * @module The Amazon FPS protocol: Signature Version 2, the Co-Branded UI pipelines, return and IPN
 * verification, the FPS API client with its XML, and money as exact decimal amounts.
 */

export type { FpsClientOptions } from './api/client.js'
export { FpsClient } from './api/client.js'
export { isRetriable } from './api/fps-errors.js'
export { createFpsVerifier } from './api/fps-verifier.js'
export type { PreparedRequest } from './api/request.js'
export { FPS_ENDPOINTS, flattenParams, resolveApiEndpoint } from './api/request.js'
export type {
  AccountBalance,
  ActionName,
  Actions,
  ActivityTransaction,
  Amount,
  ApiVersion,
  CancelRequest,
  CancelTokenRequest,
  GetAccountActivityRequest,
  GetTokenByCallerRequest,
  PayRequest,
  RefundRequest,
  RequestOf,
  ResultOf,
  SettleRequest,
  Token,
  TransactionDetail,
  TransactionResult,
  TransactionStatus,
  TransactionStatusResult,
  VerifySignatureRequest,
} from './api/types.js'
export type { CbuiRequest, CbuiSigning, PipelineRequest } from './cbui/build.js'
export { buildCbuiUrl, resolveCbuiEndpoint } from './cbui/build.js'
export type { ParameterKind, ParameterSpec, PipelineName } from './cbui/parameters.js'
export { CBUI_ENDPOINTS, CBUI_VERSION, isPipelineName, PIPELINES } from './cbui/parameters.js'
export { isSecureUrl } from './cbui/secure-url.js'
export { validatePipelineParams } from './cbui/validate.js'
export type { FpsErrorDetails, ProtocolErrorCode } from './errors.js'
export { FpsError, InvalidParameterError, ProtocolError, SignatureError } from './errors.js'
export type { Cents } from './money.js'
export { formatCents, formatXmlAmount, parseAmount, parseFpsAmount } from './money.js'
export type {
  IpnNotification,
  Money,
  ReturnParams,
  TokenCancellationNotification,
  TransactionStatusNotification,
} from './outbound/parse.js'
export { parseIpn, parseMoney, parseReturn } from './outbound/parse.js'
export { publicKeyFromPem, signRsaSha1, verifyRsaSha1 } from './outbound/rsa.js'
export type {
  PaymentMethod,
  ReturnOutcome,
  ReturnStatus,
  ReturnStatusCode,
} from './outbound/status.js'
export { describeReturnStatus, isReturnStatusCode } from './outbound/status.js'
export type {
  OutboundMessage,
  OutboundVerifier,
  OutboundVerifierOptions,
} from './outbound/verifier.js'
export { createOutboundVerifier, FPS_CERTIFICATE_PREFIXES } from './outbound/verifier.js'
export { encodeRfc3986 } from './signature/encoding.js'
export type { HttpMethod, Params, SignatureMethod, SignedRequestShape } from './signature/sigv2.js'
export {
  canonicalQuery,
  isSignatureMethod,
  sign,
  stringToSign,
  verifySignature,
} from './signature/sigv2.js'
export type { XmlElement, XmlValue } from './xml/parser.js'
export { parseXml } from './xml/parser.js'
