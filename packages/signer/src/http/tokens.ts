import { createHash, createHmac, timingSafeEqual } from 'node:crypto'

/**
 * The access token of an order: an HMAC of its callerReference under the signer's secret, 256
 * bits, URL-safe. Every bound return of one order answers the same token, so replaying a return
 * cannot grow the store; a key rotation mints a new one and the stored hashes keep old ones valid.
 */
export function orderAccessToken(secret: string, callerReference: string): string {
  return createHmac('sha256', secret)
    .update(`fps-checkout order access\n${callerReference}`)
    .digest('base64url')
}

/** What the store keeps of an access token: its SHA-256, so a database leak reveals no token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** Compares secrets in constant time; hashing first hides their lengths too. */
export function safeEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest()
  const b = createHash('sha256').update(expected).digest()
  return timingSafeEqual(a, b)
}

/** The token of an `Authorization: Bearer …` header, if there is one. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')
  return match?.[1]
}
