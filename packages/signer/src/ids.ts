import { randomUUID } from 'node:crypto'

/**
 * 72 random bits as 18 hex digits, taken from a v4 UUID without its version and variant digits.
 * Node draws `randomUUID`'s entropy from the CSPRNG in batches, 128 UUIDs at a time, where
 * `randomBytes` makes a native job of each call: about 1 µs an id instead of 6.
 */
function randomHex(): string {
  const uuid = randomUUID() // xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx
  return uuid.slice(0, 8) + uuid.slice(9, 13) + uuid.slice(15, 18) + uuid.slice(20, 23)
}

/**
 * A unique id that starts with the time: 48 bits of milliseconds, then 72 random bits, URL-safe.
 * Ids made close in time sort close together, so a burst of inserts lands in a few B-tree pages
 * instead of one page per row, and each commit writes fewer pages.
 */
export function timeOrderedId(prefix: string): string {
  const id = Buffer.allocUnsafe(15)
  id.writeUIntBE(Date.now(), 0, 6)
  id.write(randomHex(), 6, 'hex')
  return `${prefix}${id.toString('base64url')}`
}

let lastMs = 0
let counter = 0

/**
 * An id whose text order is the order it was made in: lower-case hex of the milliseconds, then
 * a counter within the millisecond, then 64 random bits. Within one process that order is exact
 * (the clock never goes back for it); across processes it holds to the millisecond. For what is
 * listed newest first by a cursor (base64 text does not sort as its bytes do).
 */
export function sortableId(prefix: string): string {
  const now = Date.now()
  if (now > lastMs) {
    lastMs = now
    counter = 0
  } else {
    counter += 1
  }
  const time = lastMs.toString(16).padStart(12, '0')
  const sequence = counter.toString(16).padStart(6, '0')
  return `${prefix}${time}${sequence}${randomHex().slice(0, 16)}`
}
