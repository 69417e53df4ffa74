import { type KeyObject, sign as rsaSign, verify as rsaVerify, X509Certificate } from 'node:crypto'
import { type SignedRequestShape, stringToSign } from '../signature/sigv2.js'

/** Outbound messages are signed over the URL that receives them, never over its query string. */
function signedText({ method, endpoint, params }: SignedRequestShape): string {
  const url = new URL(endpoint)
  return stringToSign({ method, endpoint: `${url.origin}${url.pathname}`, params })
}

/**
 * Signs a return URL or IPN as FPS did: RSA-SHA1 (PKCS #1 v1.5) over the Signature Version 2 string
 * of the receiving URL and every parameter but `signature`. The sandbox and tests use it.
 * `privateKey` is a key object or a PEM; a key object spares parsing the PEM at every signature.
 */
export function signRsaSha1(
  message: SignedRequestShape & { privateKey: KeyObject | string }
): string {
  return rsaSign('sha1', Buffer.from(signedText(message), 'utf8'), message.privateKey).toString(
    'base64'
  )
}

/**
 * Checks an RSA-SHA1 signature; whitespace inside it (FPS wrapped some at 76 columns) is ignored.
 * `publicKey` is a key object or a PEM (certificate or public key). A message whose text cannot be
 * built (an endpoint that is not a URL, a value that is not Unicode) cannot have been signed: false.
 */
export function verifyRsaSha1(
  message: SignedRequestShape & { signature: string; publicKey: KeyObject | string }
): boolean {
  const signature = Buffer.from(message.signature.replace(/\s+/g, ''), 'base64')
  if (signature.length === 0) return false
  let text: string
  try {
    text = signedText(message)
  } catch {
    return false
  }
  return rsaVerify('sha1', Buffer.from(text, 'utf8'), message.publicKey, signature)
}

/** What the verifier needs of an X.509 certificate: its public key and when it may be used. */
export interface Certificate {
  publicKey: KeyObject
  validFrom: Date
  validTo: Date
}

// One block and nothing else: OpenSSL would skip text before a block and ignore what follows it,
// so a page that merely contains a key or a certificate would otherwise pass for one.
const PEM_CERTIFICATE =
  /^[\t\n\r ]*-----BEGIN CERTIFICATE-----\r?\n([A-Za-z0-9+/=\r\n]+)-----END CERTIFICATE-----[\t\n\r ]*$/

/**
 * The DER bytes of a body that must be exactly one PEM `CERTIFICATE` block, with only whitespace
 * around it; a bare key, surrounding text or a second block throws.
 */
export function certificateDerFromPem(pem: string): Buffer {
  const base64 = PEM_CERTIFICATE.exec(pem)?.[1]?.replace(/\r?\n/g, '')
  if (!base64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64) || base64.length % 4 !== 0) {
    throw new Error('The body is not exactly one PEM certificate.')
  }
  return Buffer.from(base64, 'base64')
}

/** Parses a DER certificate; bytes after it (which the parser would ignore) throw. */
export function readCertificate(der: Buffer): Certificate {
  const certificate = new X509Certificate(der)
  if (!certificate.raw.equals(der)) throw new Error('The certificate has bytes after it.')
  return {
    publicKey: certificate.publicKey,
    validFrom: new Date(certificate.validFrom),
    validTo: new Date(certificate.validTo),
  }
}

/** Whether `now` falls within the certificate's validity period. */
export function isCertificateCurrent(certificate: Certificate, now: Date): boolean {
  return now >= certificate.validFrom && now <= certificate.validTo
}

/**
 * Reads the public key of an X.509 certificate PEM, as FPS served it: exactly one `CERTIFICATE`
 * block, within its validity period. A bare public key is refused, since a page quoting one was
 * enough to forge messages.
 */
export function publicKeyFromPem(pem: string, now: Date): KeyObject {
  const certificate = readCertificate(certificateDerFromPem(pem))
  if (!isCertificateCurrent(certificate, now)) {
    throw new Error('The certificate is outside its validity period.')
  }
  return certificate.publicKey
}
