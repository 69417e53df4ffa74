import { createHash, type KeyObject } from 'node:crypto'
import { SignatureError } from '../errors.js'
import type { HttpMethod, Params } from '../signature/sigv2.js'
import {
  type Certificate,
  certificateDerFromPem,
  isCertificateCurrent,
  readCertificate,
  verifyRsaSha1,
} from './rsa.js'

/** Where the historic Amazon FPS service served its certificates (`/certs/<id>/PKICert.pem`). */
export const FPS_CERTIFICATE_PREFIXES = [
  'https://fps.amazonaws.com/certs/',
  'https://fps.sandbox.amazonaws.com/certs/',
] as const

/** A signed message FPS sent: a return (GET on the return URL) or an IPN (POST on the IPN URL). */
export interface OutboundMessage {
  method: HttpMethod
  /** The URL that received the message; any query string on it is ignored. */
  endpoint: string
  /** Every parameter received, including those already on the return URL, and `signature`. */
  params: Params
}

/** Verifies FPS's outbound signatures; throws {@link SignatureError} when a message must be refused. */
export interface OutboundVerifier {
  verify(message: OutboundMessage): Promise<void>
}

/** How the local verifier finds and trusts certificates. */
export interface OutboundVerifierOptions {
  /**
   * Certificate URLs must lie under one of these (each an absolute http(s) URL, normally ending in
   * `/certs/`); they are compared after `new URL` has normalised both.
   */
  allowedCertificatePrefixes: readonly string[]
  fetch?: typeof fetch
  /** How long the certificate a URL served is trusted before the URL is fetched again. */
  ttlMs?: number
  now?: () => Date
}

/** A certificate is a few KB; anything much larger is not one, and is not read to its end. */
const MAX_CERTIFICATE_BYTES = 64 * 1024
const MAX_CACHED_CERTIFICATES = 16

/** The certificate host did not answer (network, timeout, 5xx): unlike a bad certificate, this passes. */
class Unreachable extends Error {}
/** The certificate URL redirected: following it could leave the allow-list, so it is not allowed. */
class Redirected extends Error {}
const FETCH_TIMEOUT_MS = 5000

/**
 * Verifies RSA-SHA1 Signature Version 2 messages locally, fetching certificates only from the
 * allow-list (a forged message could otherwise point at the forger's own certificate) and caching them.
 */
export function createOutboundVerifier(options: OutboundVerifierOptions): OutboundVerifier {
  const prefixes = options.allowedCertificatePrefixes.map(normalizePrefix)
  const fetchCertificate = options.fetch ?? fetch
  const ttlMs = options.ttlMs ?? 60 * 60 * 1000
  const now = options.now ?? (() => new Date())
  /**
   * The certificate behind a URL, cached by origin and path: FPS varied only a `requestId` query,
   * and a sender varying it must neither grow the cache nor make each message a download.
   */
  const byUrl = new Map<string, { certificate: Promise<Certificate>; expiresAt: number }>()
  /** Parsed certificates by SHA-256 fingerprint, so that URLs serving one certificate parse it once. */
  const byFingerprint = new Map<string, Certificate>()

  /** The key of the certificate at a URL, which must be within its validity period now. */
  async function currentKeyAt(url: URL): Promise<KeyObject> {
    const pending = certificateAt(url)
    const certificate = await pending
    if (!isCertificateCurrent(certificate, now())) {
      // fetched again next time: the URL may serve a renewed certificate by then
      forget(slotOf(url), pending)
      throw new Error('The certificate is outside its validity period.')
    }
    return certificate.publicKey
  }

  function certificateAt(url: URL): Promise<Certificate> {
    const slot = slotOf(url)
    const cached = byUrl.get(slot)
    if (cached && cached.expiresAt > now().getTime()) return cached.certificate
    const certificate = download(url.href).then(parse)
    byUrl.delete(slot)
    remember(byUrl, slot, { certificate, expiresAt: now().getTime() + ttlMs })
    certificate.catch(() => forget(slot, certificate))
    return certificate
  }

  function forget(slot: string, certificate: Promise<Certificate>): void {
    if (byUrl.get(slot)?.certificate === certificate) byUrl.delete(slot)
  }

  function parse(pem: string): Certificate {
    const der = certificateDerFromPem(pem)
    const fingerprint = createHash('sha256').update(der).digest('hex')
    const known = byFingerprint.get(fingerprint)
    if (known) return known
    const certificate = readCertificate(der)
    remember(byFingerprint, fingerprint, certificate)
    return certificate
  }

  async function download(certificateUrl: string): Promise<string> {
    let response: Response
    try {
      response = await fetchCertificate(certificateUrl, {
        redirect: 'manual',
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      })
    } catch (cause) {
      throw new Unreachable('no answer', { cause })
    }
    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
      await response.body?.cancel()
      throw new Redirected(`HTTP ${response.status}`)
    }
    if (!response.ok) {
      await response.body?.cancel()
      if (response.status >= 500) throw new Unreachable(`HTTP ${response.status}`)
      throw new Error(`HTTP ${response.status}`)
    }
    return readCapped(response)
  }

  return {
    async verify({ method, endpoint, params }) {
      const { signature, signatureVersion, signatureMethod, certificateUrl } = params
      if (!signature) throw new SignatureError('The message has no signature.')
      // FPS signed every outbound parameter but `signature`; the canonical query skips `Signature`
      // too (it is the API's signature), so one here would be an unsigned addition.
      if (Object.hasOwn(params, 'Signature')) {
        throw new SignatureError('The message carries a parameter FPS did not sign: Signature.')
      }
      if (signatureVersion !== '2' || signatureMethod !== 'RSA-SHA1') {
        throw new SignatureError(
          'Only signatureVersion 2 with signatureMethod RSA-SHA1 is accepted.'
        )
      }
      const url = allowedCertificateUrl(certificateUrl, prefixes)
      let publicKey: KeyObject
      try {
        publicKey = await currentKeyAt(url)
      } catch (cause) {
        if (cause instanceof Unreachable) {
          throw new SignatureError(
            `The certificate host for ${url.href} did not answer; try again.`,
            'certificate_unreachable',
            { cause }
          )
        }
        if (cause instanceof Redirected) {
          throw new SignatureError(
            `The certificate URL ${url.href} redirects; certificates are fetched only from the allow-list, without redirects.`,
            'certificate_not_allowed',
            { cause }
          )
        }
        throw new SignatureError(
          `The certificate at ${url.href} could not be used.`,
          'certificate_unavailable',
          { cause }
        )
      }
      if (!verifyRsaSha1({ method, endpoint, params, signature, publicKey })) {
        throw new SignatureError('The signature does not match the message.')
      }
    },
  }
}

const slotOf = (url: URL): string => `${url.origin}${url.pathname}`

/** Reads a body up to the cap, and stops there rather than buffering whatever is sent. */
async function readCapped(response: Response): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? 0)
  if (declared > MAX_CERTIFICATE_BYTES) {
    await response.body?.cancel()
    throw new Error(`The body is ${declared} bytes, more than a certificate.`)
  }
  const reader = response.body?.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const chunk = await reader?.read().catch((cause: unknown) => {
      throw new Unreachable('the body was cut off', { cause })
    })
    if (!chunk || chunk.done) break
    size += chunk.value.byteLength
    if (size > MAX_CERTIFICATE_BYTES) {
      await reader?.cancel()
      throw new Error(`The body is over ${MAX_CERTIFICATE_BYTES} bytes, more than a certificate.`)
    }
    chunks.push(chunk.value)
  }
  return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks))
}

/** Adds an entry to a bounded cache; the oldest entry goes first. */
function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  if (cache.size >= MAX_CACHED_CERTIFICATES) cache.delete(cache.keys().next().value ?? '')
  cache.set(key, value)
}

function allowedCertificateUrl(certificateUrl: string | undefined, prefixes: readonly URL[]): URL {
  if (!certificateUrl)
    throw new SignatureError('The message has no certificateUrl.', 'certificate_not_allowed')
  let url: URL
  try {
    url = new URL(certificateUrl)
  } catch {
    throw new SignatureError('The certificateUrl is not a URL.', 'certificate_not_allowed')
  }
  if (!prefixes.some((prefix) => isUnder(url, prefix))) {
    throw new SignatureError(
      `The certificate URL ${url.href} is not on the allow-list.`,
      'certificate_not_allowed'
    )
  }
  return url
}

/**
 * Whether a URL lies under an allowed prefix. `new URL` has already resolved `..` and `%2e%2e`
 * segments, turned backslashes into slashes, lower-cased the host and dropped a default port; what
 * it keeps and a server might still read differently (user info, escapes such as `%2f`) is refused.
 */
function isUnder(url: URL, prefix: URL): boolean {
  if (url.username || url.password || url.pathname.includes('%')) return false
  return url.origin === prefix.origin && url.pathname.startsWith(prefix.pathname)
}

function normalizePrefix(prefix: string): URL {
  const url = new URL(prefix)
  if (
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    url.username ||
    url.password ||
    url.search ||
    url.hash
  ) {
    throw new TypeError(`The certificate prefix ${prefix} must be a plain http(s) URL.`)
  }
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`
  return url
}
