import { randomFillSync } from 'node:crypto'

/** Random bytes drawn ahead: one system call per 4 KiB instead of one per id (as `randomUUID`). */
const pool = Buffer.alloc(4096)
let used = pool.length

/** `bytes` fresh random bytes from the CSPRNG, URL-safe Base64; each byte is handed out once. */
export function randomBase64url(bytes: number): string {
  if (used + bytes > pool.length) {
    randomFillSync(pool)
    used = 0
  }
  const text = pool.toString('base64url', used, used + bytes)
  pool.fill(0, used, used + bytes)
  used += bytes
  return text
}

/**
 * A unique id that starts with the time: 48 bits of milliseconds, then 72 random bits, URL-safe.
 * Ids made close in time sort close together, so a burst of inserts lands in a few B-tree pages
 * instead of one page per row, and each commit writes fewer pages.
 */
export function timeOrderedId(prefix: string): string {
  const time = Buffer.allocUnsafe(6)
  time.writeUIntBE(Date.now(), 0, 6)
  return `${prefix}${time.toString('base64url')}${randomBase64url(9)}`
}
