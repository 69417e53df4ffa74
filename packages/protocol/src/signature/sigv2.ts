import { createHmac, timingSafeEqual } from 'node:crypto'
import { InvalidParameterError, ProtocolError } from '../errors.js'
import { encodePath, encodeRfc3986, sortByteOrder } from './encoding.js'

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
  for (const name of sortedNames(params)) {
    if (SIGNATURE_PARAMS.has(name)) continue
    const pair = encodedPair(name, params[name] ?? '')
    query = query === '' ? pair : `${query}&${pair}`
  }
  return query
}

/**
 * Signers send the same parameter names, and mostly the same configuration values, on every
 * request: the last sort order and each name's last encoded pair are kept (bounded) and reused.
 */
const lastOrder = { names: [] as string[], sorted: [] as string[] }
const lastPairs = new Map<string, { value: string; pair: string }>()
const LAST_PAIRS_LIMIT = 256

function sortedNames(params: Params): readonly string[] {
  const names = Object.keys(params)
  const previous = lastOrder.names
  let same = names.length === previous.length
  for (let i = 0; same && i < names.length; i++) same = names[i] === previous[i]
  if (!same) {
    lastOrder.names = names
    lastOrder.sorted = sortByteOrder([...names])
  }
  return lastOrder.sorted
}

function encodedPair(name: string, value: string): string {
  const last = lastPairs.get(name)
  if (last !== undefined && last.value === value) return last.pair
  const pair = `${encodeRfc3986(name)}=${encodeRfc3986(value)}`
  if (lastPairs.size >= LAST_PAIRS_LIMIT) lastPairs.clear()
  lastPairs.set(name, { value, pair })
  return pair
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

const hostAndPathCache = new Map<string, string>()
const HOST_AND_PATH_CACHE_SIZE = 64

/** The host and path lines of the string to sign; callers reuse a few endpoints, so they are cached. */
function hostAndPath(endpoint: string): string {
  let lines = hostAndPathCache.get(endpoint)
  if (lines === undefined) {
    const url = parseEndpoint(endpoint)
    lines = `${url.host.toLowerCase()}\n${encodePath(url.pathname)}`
    if (hostAndPathCache.size >= HOST_AND_PATH_CACHE_SIZE) hostAndPathCache.clear()
    hostAndPathCache.set(endpoint, lines)
  }
  return lines
}

function parseEndpoint(endpoint: string): URL {
  try {
    return new URL(endpoint)
  } catch {
    throw new InvalidParameterError('endpoint', `"${endpoint}" is not an absolute URL.`)
  }
}
