import { createPrivateKey, type KeyObject } from 'node:crypto'
import { type HttpMethod, signRsaSha1, verifyRsaSha1 } from '@fps-checkout/protocol'
import type { SigningKey } from './signing-key.js'

/** Each signing key's parsed private key: parsing the PEM cost as much as a signature. */
const privateKeys = new WeakMap<SigningKey, KeyObject>()

function privateKeyOf(key: SigningKey): KeyObject {
  let parsed = privateKeys.get(key)
  if (!parsed) {
    parsed = createPrivateKey(key.privateKeyPem)
    privateKeys.set(key, parsed)
  }
  return parsed
}

/** Where the sandbox serves a key's certificate, under its own origin. */
export function certificatePath(key: SigningKey): string {
  return `/certs/${key.id}/PKICert.pem`
}

/**
 * Adds `signatureMethod=RSA-SHA1`, `signatureVersion=2`, `certificateUrl` and `signature` to a
 * return or IPN, signed over the URL that will receive it, as FPS signed its outbound messages.
 */
export function signOutbound(
  method: HttpMethod,
  endpoint: string,
  params: Record<string, string>,
  key: SigningKey,
  origin: string
): Record<string, string> {
  const signed = {
    ...params,
    signatureMethod: 'RSA-SHA1',
    signatureVersion: '2',
    certificateUrl: `${origin}${certificatePath(key)}`,
  }
  return {
    ...signed,
    signature: signRsaSha1({ method, endpoint, params: signed, privateKey: privateKeyOf(key) }),
  }
}

/**
 * Checks an outbound signature the way FPS's VerifySignature did. The request does not say
 * whether a return (GET) or an IPN (POST) is being checked, so either verb is accepted.
 */
export function verifyOutbound(
  endpoint: string,
  params: Record<string, string>,
  key: SigningKey
): boolean {
  const { signature, signatureMethod, signatureVersion, certificateUrl } = params
  if (signature === undefined || signatureMethod !== 'RSA-SHA1' || signatureVersion !== '2')
    return false
  if (certificateUrl === undefined || !certificateUrl.endsWith(certificatePath(key))) return false
  return (['GET', 'POST'] as const).some((method) =>
    verifyRsaSha1({ method, endpoint, params, signature, publicKey: key.certificatePem })
  )
}
