import { createHash, timingSafeEqual } from 'node:crypto'
import { randomBase64url } from '../ids.js'

/** A fresh per-order access token, 256 random bits, URL-safe. */
export function newAccessToken(): string {
  return randomBase64url(32)
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
