import { FpsError } from '../errors.js'
import { parseXml, type XmlElement } from '../xml/parser.js'

/** The codes FPS documents as retriable: the same request may succeed later. */
const RETRIABLE_CODES = new Set([
  'AccessFailure',
  'AccountClosed',
  'AccountLimitsExceeded',
  'AuthFailure',
  'ConcurrentModification',
  'InsufficientBalance',
  'InternalError',
  'InvalidAccountState',
  'InvalidAccountState_Caller',
  'InvalidAccountState_Recipient',
  'InvalidAccountState_Sender',
  'NotMarketplaceApp',
  'OriginalTransactionIncomplete',
  'PrepaidFundingLimitExceeded',
  'ServiceUnavailable',
])

/** Whether a failure with this code and HTTP status may succeed if the caller tries again. */
export function isRetriable(code: string, httpStatus?: number): boolean {
  return RETRIABLE_CODES.has(code) || httpStatus === 500 || httpStatus === 503
}

/**
 * Reads either error form FPS used, the `<Response><Errors>` one it sent and the namespaced
 * `<ErrorResponse>` of its XSD, into one {@link FpsError}; undefined when the body is neither.
 */
export function parseErrorBody(body: string, httpStatus: number): FpsError | undefined {
  let document: XmlElement
  try {
    document = parseXml(body)
  } catch {
    return undefined
  }
  const response = element(document.Response)
  const errorResponse = element(document.ErrorResponse)
  const first = response
    ? firstError(element(response.Errors)?.Error)
    : firstError(errorResponse?.Error)
  if (!first) return undefined
  const code = text(first.Code) ?? 'Unknown'
  const requestId = text(response?.RequestID) ?? text(errorResponse?.RequestId)
  return new FpsError({
    code,
    message: text(first.Message) ?? code,
    httpStatus,
    retriable: isRetriable(code, httpStatus),
    ...(requestId === undefined ? {} : { requestId }),
  })
}

/** Narrows a parsed value to an element with children. */
export function element(value: unknown): XmlElement | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as XmlElement)
    : undefined
}

/** Narrows a parsed value to element text. */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

function firstError(value: unknown): XmlElement | undefined {
  return Array.isArray(value) ? element(value[0]) : undefined
}
