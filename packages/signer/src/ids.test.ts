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
