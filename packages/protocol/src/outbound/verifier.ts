import type { KeyObject } from 'node:crypto'
import { SignatureError } from '../errors.js'
import type { HttpMethod, Params } from '../signature/sigv2.js'
import { publicKeyFromPem, verifyRsaSha1 } from './rsa.js'

/** The certificate URL roots of the historic Amazon FPS service. */
export const FPS_CERTIFICATE_PREFIXES = [
  'https://fps.amazonaws.com/',
  'https://fps.sandbox.amazonaws.com/',
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
  /** Certificate URLs must start with one of these (each an absolute URL ending in `/`). */
  allowedCertificatePrefixes: readonly string[]
  fetch?: typeof fetch
  /** How long a fetched certificate is trusted before it is fetched again. */
  ttlMs?: number
  now?: () => Date
}

const MAX_CERTIFICATE_BYTES = 1024 * 1024
const MAX_CACHED_CERTIFICATES = 16

/** The certificate host did not answer (network, timeout, 5xx): unlike a bad certificate, this passes. */
class Unreachable extends Error {}
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
  const cache = new Map<string, { key: Promise<KeyObject>; expiresAt: number }>()

  /**
   * The certificate behind a URL, cached by origin and path: FPS varied only a `requestId` query,
   * and a sender varying it must neither grow the cache nor make each message a download. The
   * cache is also bounded; the oldest entry goes first.
   */
  function publicKeyFor(certificateUrl: string): Promise<KeyObject> {
    const { origin, pathname } = new URL(certificateUrl)
    const slot = `${origin}${pathname}`
    const cached = cache.get(slot)
    if (cached && cached.expiresAt > now().getTime()) return cached.key
    const key = download(certificateUrl).then((pem) => publicKeyFromPem(pem, now()))
    cache.delete(slot)
    if (cache.size >= MAX_CACHED_CERTIFICATES) cache.delete(cache.keys().next().value ?? '')
    cache.set(slot, { key, expiresAt: now().getTime() + ttlMs })
    key.catch(() => cache.delete(slot))
    return key
  }

  async function download(certificateUrl: string): Promise<string> {
    let response: Response
    let body: ArrayBuffer
    try {
      response = await fetchCertificate(certificateUrl, {
        redirect: 'error',
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      })
      body = await response.arrayBuffer()
    } catch (cause) {
      throw new Unreachable('no answer', { cause })
    }
    if (response.status >= 500) throw new Unreachable(`HTTP ${response.status}`)
    if (!response.ok || body.byteLength > MAX_CERTIFICATE_BYTES) {
      throw new Error(`HTTP ${response.status}, ${body.byteLength} bytes`)
    }
    return new TextDecoder().decode(body)
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
        publicKey = await publicKeyFor(url)
      } catch (cause) {
        if (cause instanceof Unreachable) {
          throw new SignatureError(
            `The certificate host for ${url} did not answer; try again.`,
            'certificate_unreachable',
            { cause }
          )
        }
        throw new SignatureError(
          `The certificate at ${url} could not be used.`,
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

function allowedCertificateUrl(
  certificateUrl: string | undefined,
  prefixes: readonly string[]
): string {
  if (!certificateUrl)
    throw new SignatureError('The message has no certificateUrl.', 'certificate_not_allowed')
  let href: string
  try {
    href = new URL(certificateUrl).href
  } catch {
    throw new SignatureError('The certificateUrl is not a URL.', 'certificate_not_allowed')
  }
  if (!prefixes.some((prefix) => href.startsWith(prefix))) {
    throw new SignatureError(
      `The certificate URL ${href} is not on the allow-list.`,
      'certificate_not_allowed'
    )
  }
  return href
}

function normalizePrefix(prefix: string): string {
  const href = new URL(prefix).href
  return href.endsWith('/') ? href : `${href}/`
}
