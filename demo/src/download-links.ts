import { createHmac, timingSafeEqual } from 'node:crypto'

/** How a link fared: `invalid` when it is not one the shop signed, `expired` when it was, once. */
export type LinkCheck = 'valid' | 'invalid' | 'expired'

/** The shop's download links: signed for one order, good until their expiry. */
export interface DownloadLinks {
  /** The order's download link, as a path on the shop. */
  path(callerReference: string, expiresAt: Date): string
  /** Checks the `expires` and `signature` a link came back with, for that order, at `now`. */
  check(callerReference: string, query: Record<string, string>, now: Date): LinkCheck
}

/**
 * Download links are `/downloads/<callerReference>?expires=<unix seconds>&signature=<HMAC>`, the
 * HMAC-SHA256 under the shop's own secret covering the order and the expiry: a link can be
 * neither moved to another order nor extended. Like a presigned URL, it is a bearer token with a
 * short life, not a secret, so it may sit in the address bar.
 */
export function downloadLinks(secret: string): DownloadLinks {
  const sign = (callerReference: string, expires: string) =>
    createHmac('sha256', secret)
      .update(`digitaldownload download\n${callerReference}\n${expires}`)
      .digest('base64url')
  return {
    path(callerReference, expiresAt) {
      const expires = String(Math.floor(expiresAt.getTime() / 1000))
      const signature = sign(callerReference, expires)
      return `/downloads/${encodeURIComponent(callerReference)}?${new URLSearchParams({ expires, signature })}`
    },
    check(callerReference, { expires = '', signature = '' }, now) {
      if (!/^\d{1,12}$/.test(expires)) return 'invalid'
      // compared as text: base64url decoding would take several spellings of one signature
      const given = Buffer.from(signature)
      const expected = Buffer.from(sign(callerReference, expires))
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid'
      return Number(expires) * 1000 > now.getTime() ? 'valid' : 'expired'
    },
  }
}
