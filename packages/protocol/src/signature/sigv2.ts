import { createHmac, timingSafeEqual } from 'node:crypto'
import { InvalidParameterError, ProtocolError } from '../errors.js'
import { encodePath, encodeRfc3986, sortByteOrder } from './encoding.js'
// kept for sign_ratio 1.6–2.5× by measurement (packages/protocol/README.md, "Signing speed")
import { encodedPair, endpointLines, sortedNames } from './memo.js'

/** The HTTP verbs FPS signs; the verb is the first line of the string to sign. */
export type HttpMethod = 'GET' | 'POST'

/** The HMAC algorithms Signature Version 2 allows; HmacSHA256 is the preferred one. */
export type SignatureMethod = 'HmacSHA256' | 'HmacSHA1'

/** Unencoded request parameters, by wire name. */
export type Params = Readonly<Record<string, string>>

/** What a Signature Version 2 string to sign is computed from. */
export interface SignedRequestShape {
  method: HttpMethod
  /** The full URL the request goes to: scheme, host, optional port, path. */
  endpoint: string
  params: Params
}

const SIGNATURE_PARAMS = new Set(['signature', 'Signature'])
const HMAC_ALGORITHMS: Record<SignatureMethod, string> = { HmacSHA256: 'sha256', HmacSHA1: 'sha1' }

/** The canonical query: every parameter but the signature, byte-order sorted, RFC 3986 encoded. */
export function canonicalQuery(params: Params): string {
  let query = ''
  for (const name of sortedNames(Object.keys(params), sortByteOrder)) {
    if (SIGNATURE_PARAMS.has(name)) continue
    const pair = encodedPair(name, params[name] ?? '', encodeRfc3986)
    query = query === '' ? pair : `${query}&${pair}`
  }
  return query
}

/**
 * The Signature Version 2 string to sign: verb, lower-case host (with the port only when it is not
 * the scheme's default), encoded path (`/` when empty) and canonical query, joined by LF.
 */
export function stringToSign({ method, endpoint, params }: SignedRequestShape): string {
  return `${method}\n${hostAndPath(endpoint)}\n${canonicalQuery(params)}`
}

/** The Base64 HMAC of the string to sign, keyed with the secret access key. */
export function sign(
  request: SignedRequestShape & { secretKey: string; signatureMethod: SignatureMethod }
): string {
  return hmac(request.signatureMethod, request.secretKey, stringToSign(request))
}

/**
 * Signs a canonical query that the caller already built, so a request URL or body and its
 * signature share one encoding pass.
 */
export function signCanonicalQuery(
  request: Omit<SignedRequestShape, 'params'> & {
    query: string
    secretKey: string
    signatureMethod: SignatureMethod
  }
): string {
  return hmac(
    request.signatureMethod,
    request.secretKey,
    `${request.method}\n${hostAndPath(request.endpoint)}\n${request.query}`
  )
}

/**
 * Checks an inbound SigV2 signature (API `Signature`/`SignatureMethod` or CBUI `signature`/
 * `signatureMethod`). Clients disagreed on whether a non-default port belongs in the host, so both
 * forms are accepted, as FPS's own tolerance required of an emulator. The Base64 text itself is
 * compared, because decoders skip stray characters and padding bits that a forger could change.
 */
export function verifySignature(request: SignedRequestShape & { secretKey: string }): boolean {
  const { params } = request
  const given = params.Signature ?? params.signature
  const method = params.SignatureMethod ?? params.signatureMethod
  if (given === undefined || !isSignatureMethod(method)) return false
  const givenBytes = Buffer.from(given, 'utf8')
  return endpointVariants(request.endpoint).some((endpoint) => {
    const text = signedText({ ...request, endpoint })
    if (text === undefined) return false
    const expected = Buffer.from(hmac(method, request.secretKey, text), 'utf8')
    return expected.length === givenBytes.length && timingSafeEqual(expected, givenBytes)
  })
}

/** A parameter that is not valid Unicode cannot have been signed: it fails verification, not throws. */
function signedText(request: SignedRequestShape): string | undefined {
  try {
    return stringToSign(request)
  } catch (error) {
    if (error instanceof ProtocolError && error.code === 'invalid_encoding') return undefined
    throw error
  }
}

/** Narrows an untrusted value to a supported HMAC signature method. */
export function isSignatureMethod(value: unknown): value is SignatureMethod {
  return value === 'HmacSHA256' || value === 'HmacSHA1'
}

function hmac(method: SignatureMethod, secretKey: string, data: string): string {
  return createHmac(HMAC_ALGORITHMS[method], secretKey).update(data, 'utf8').digest('base64')
}

function endpointVariants(endpoint: string): string[] {
  const url = parseEndpoint(endpoint)
  if (url.port === '') return [endpoint]
  return [endpoint, `${url.protocol}//${url.hostname}${url.pathname}`]
}

/** The host and path lines of the string to sign. */
function hostAndPath(endpoint: string): string {
  return endpointLines(endpoint, (given) => {
    const url = parseEndpoint(given)
    return `${url.host.toLowerCase()}\n${encodePath(url.pathname)}`
  })
}

function parseEndpoint(endpoint: string): URL {
  try {
    return new URL(endpoint)
  } catch {
    throw new InvalidParameterError('endpoint', `"${endpoint}" is not an absolute URL.`)
  }
}
