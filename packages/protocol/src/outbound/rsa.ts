import {
  createPublicKey,
  type KeyObject,
  sign as rsaSign,
  verify as rsaVerify,
  X509Certificate,
} from 'node:crypto'
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

/** Reads the public key of an X.509 certificate PEM (as FPS served) or of a bare public key PEM. */
export function publicKeyFromPem(pem: string, now: Date): KeyObject {
  if (!pem.includes('BEGIN CERTIFICATE')) return createPublicKey(pem)
  const certificate = new X509Certificate(pem)
  if (now < new Date(certificate.validFrom) || now > new Date(certificate.validTo)) {
    throw new Error('The certificate is outside its validity period.')
  }
  return certificate.publicKey
}
