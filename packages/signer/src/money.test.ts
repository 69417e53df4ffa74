import { describe, expect, it } from 'vitest'
import { MAX_CENTS, toCents } from './money.js'

// The decimal rules themselves are tested with the protocol's parseAmount (protocol/src/money.test.ts).
describe('toCents', () => {
  it('takes amounts up to what the databases store and refuses larger ones', () => {
    expect(toCents('9999999.99')).toBe(MAX_CENTS)
    expect(toCents('10000000')).toBeUndefined()
  })

  it('refuses what the protocol refuses', () => {
    expect(toCents('0.9')).toBe(90)
    expect(toCents('01')).toBeUndefined()
  })
})
