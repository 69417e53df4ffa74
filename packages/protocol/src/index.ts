/**
 * @module The Amazon FPS protocol: Signature Version 2, the Co-Branded UI pipelines, return and IPN
 * verification, and the FPS API client with its XML.
 */

export type { CbuiRequest, CbuiSigning, PipelineRequest } from './cbui/build.js'
export { buildCbuiUrl, resolveCbuiEndpoint } from './cbui/build.js'
export type { ParameterKind, ParameterSpec, PipelineName } from './cbui/parameters.js'
export { CBUI_ENDPOINTS, CBUI_VERSION, isPipelineName, PIPELINES } from './cbui/parameters.js'
export { validatePipelineParams } from './cbui/validate.js'
export type { ProtocolErrorCode } from './errors.js'
export { InvalidParameterError, ProtocolError, SignatureError } from './errors.js'
export type {
  IpnNotification,
  Money,
  ReturnParams,
  TokenCancellationNotification,
  TransactionStatusNotification,
} from './outbound/parse.js'
export { parseIpn, parseMoney, parseReturn } from './outbound/parse.js'
export { signRsaSha1 } from './outbound/rsa.js'
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
