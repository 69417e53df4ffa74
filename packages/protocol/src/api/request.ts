import { encodeRfc3986 } from '../signature/encoding.js'
import { canonicalQuery, type SignatureMethod, signCanonicalQuery } from '../signature/sigv2.js'
import type { ActionName, ApiVersion } from './types.js'

/** The historic FPS API endpoints. */
export const FPS_ENDPOINTS = {
  production: 'https://fps.amazonaws.com/',
  sandbox: 'https://fps.sandbox.amazonaws.com/',
} as const

/**
 * A signed API request, ready to send and plain JSON, so it can be stored before it is sent and
 * resent byte-identically after a lost response or a crash (FPS's 7-day CallerReference rule).
 */
export interface PreparedRequest {
  action: ActionName
  method: 'POST'
  url: string
  body: string
}

/** Who signs, and how. */
export interface RequestSigner {
  accessKeyId: string
  secretKey: string
  signatureMethod: SignatureMethod
  version: ApiVersion
}

/** Maps the named targets to their historic URLs and leaves any other URL as given. */
export function resolveApiEndpoint(endpoint: string): string {
  return Object.hasOwn(FPS_ENDPOINTS, endpoint)
    ? FPS_ENDPOINTS[endpoint as keyof typeof FPS_ENDPOINTS]
    : endpoint
}

/** Flattens nested request objects the way FPS reads them: `TransactionAmount.Value`, `Role.1`. */
export function flattenParams(value: object, prefix = ''): Record<string, string> {
  const flat: Record<string, string> = {}
  const entries = Array.isArray(value)
    ? value.map((item, i) => [String(i + 1), item] as const)
    : Object.entries(value)
  for (const [name, item] of entries) {
    if (item === undefined || item === null) continue
    const key = prefix ? `${prefix}.${name}` : name
    if (typeof item === 'object') Object.assign(flat, flattenParams(item as object, key))
    else flat[key] = String(item)
  }
  return flat
}

/** Signs an action's flattened parameters with the common parameters FPS requires. */
export function signRequest(
  url: string,
  action: ActionName,
  params: Readonly<Record<string, string>>,
  signer: RequestSigner,
  timestamp: Date
): PreparedRequest {
  const signed = {
    ...params,
    Action: action,
    AWSAccessKeyId: signer.accessKeyId,
    SignatureMethod: signer.signatureMethod,
    SignatureVersion: '2',
    Timestamp: timestamp.toISOString(),
    Version: signer.version,
  }
  const query = canonicalQuery(signed)
  const signature = signCanonicalQuery({
    method: 'POST',
    endpoint: url,
    query,
    secretKey: signer.secretKey,
    signatureMethod: signer.signatureMethod,
  })
  return { action, method: 'POST', url, body: `${query}&Signature=${encodeRfc3986(signature)}` }
}

/** The action's own parameters of a prepared request, without the common ones that signing adds. */
export function actionParams(prepared: PreparedRequest): Record<string, string> {
  const params = Object.fromEntries(new URLSearchParams(prepared.body))
  for (const common of [
    'Action',
    'AWSAccessKeyId',
    'SignatureMethod',
    'SignatureVersion',
    'Timestamp',
    'Version',
    'Signature',
  ]) {
    delete params[common]
  }
  return params
}
