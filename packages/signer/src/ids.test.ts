import { describe, expect, it } from 'vitest'
import { sortableId, timeOrderedId } from './ids.js'

describe('timeOrderedId', () => {
  it('starts with the time in milliseconds, then randomness', () => {
    const before = Date.now()
    const ids = Array.from({ length: 500 }, () => timeOrderedId('ord_'))
    const after = Date.now()
    expect(new Set(ids).size).toBe(ids.length)
    for (const id of ids) {
      expect(id).toMatch(/^ord_[A-Za-z0-9_-]{20}$/)
      const time = Buffer.from(id.slice(4, 12), 'base64url').readUIntBE(0, 6)
      expect(time).toBeGreaterThanOrEqual(before)
      expect(time).toBeLessThanOrEqual(after)
    }
  })
})

describe('sortableId', () => {
  it('sorts as text in the order the ids were made, even within one millisecond', () => {
    const ids = Array.from({ length: 2000 }, () => sortableId('evt_'))
    expect(new Set(ids).size).toBe(ids.length)
    expect([...ids].sort()).toEqual(ids)
    for (const id of ids) expect(id).toMatch(/^evt_[0-9a-f]{34}$/)
    const time = Number.parseInt(ids[0]!.slice(4, 16), 16)
    expect(Math.abs(time - Date.now())).toBeLessThan(60_000)
  })
})

/** Every hex digit position of the random parts, over many ids, takes all sixteen values. */
function digitsSeen(randomParts: string[]): number[] {
  const length = randomParts[0]!.length
  return Array.from({ length }, (_, at) => new Set(randomParts.map((part) => part[at])).size)
}

describe('the random part of ids', () => {
  // a UUID's version digit (always 4) or variant digit (8 to b) leaking in would take fewer; with
  // 2,000 ids a truly random digit misses one of 16 values with odds of about 16 × (15/16)^2000
  it('has no digit fixed or biased by the UUID it is taken from', () => {
    const ordered = Array.from({ length: 2000 }, () =>
      Buffer.from(timeOrderedId('ord_').slice(4), 'base64url').subarray(6).toString('hex')
    )
    expect(ordered[0]).toHaveLength(18)
    expect(digitsSeen(ordered)).toEqual(Array(18).fill(16))
    const sortable = Array.from({ length: 2000 }, () => sortableId('evt_').slice(4 + 18))
    expect(sortable[0]).toHaveLength(16)
    expect(digitsSeen(sortable)).toEqual(Array(16).fill(16))
  })
})
