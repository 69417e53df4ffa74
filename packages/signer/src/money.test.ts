import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatCents, MAX_CENTS, toCents } from './money.js'

describe('toCents', () => {
  it('reads decimal strings with up to two decimals exactly', () => {
    expect(toCents('0.90')).toBe(90)
    expect(toCents('0.9')).toBe(90)
    expect(toCents('12')).toBe(1200)
    expect(toCents('1000.01')).toBe(100001)
    expect(toCents('9999999.99')).toBe(MAX_CENTS)
  })

  it('refuses anything that is not a plain non-negative decimal', () => {
    for (const bad of [
      '',
      '.5',
      '1.',
      '1.234',
      '-1',
      '+1',
      '1e2',
      ' 1',
      '01',
      '0x10',
      '10000000',
      '١',
    ]) {
      expect(toCents(bad)).toBeUndefined()
    }
  })

  it('round-trips with formatCents for every cent value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_CENTS }), (cents) => {
        expect(toCents(formatCents(cents))).toBe(cents)
      })
    )
  })
})
