import { describe, expect, it } from 'vitest'
import { timeOrderedId } from './ids.js'

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
