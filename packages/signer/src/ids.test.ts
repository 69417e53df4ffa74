import { describe, expect, it } from 'vitest'
import { randomBase64url, timeOrderedId } from './ids.js'

describe('randomBase64url', () => {
  it('hands out fresh URL-safe ids of the asked size, across refills of its pool', () => {
    const ids = Array.from({ length: 2000 }, () => randomBase64url(15))
    expect(new Set(ids).size).toBe(ids.length)
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{20}$/)
    const bytes = Buffer.concat(ids.map((id) => Buffer.from(id, 'base64url')))
    const zeros = bytes.filter((byte) => byte === 0).length
    expect(zeros / bytes.length).toBeLessThan(0.01)
  })
})

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
