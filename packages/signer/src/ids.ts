import { randomBytes } from 'node:crypto'

/**
 * A unique id that starts with the time: 48 bits of milliseconds, then 72 random bits, URL-safe.
 * Ids made close in time sort close together, so a burst of inserts lands in a few B-tree pages
 * instead of one page per row, and each commit writes fewer pages.
 */
export function timeOrderedId(prefix: string): string {
  const id = randomBytes(15)
  id.writeUIntBE(Date.now(), 0, 6)
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
  return `${prefix}${time}${sequence}${randomBytes(8).toString('hex')}`
}
