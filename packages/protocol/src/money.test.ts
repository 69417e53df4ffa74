import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatCents, formatXmlAmount, parseAmount, parseFpsAmount } from './money.js'

describe('parseAmount and parseFpsAmount', () => {
  // One row a rule: its examples, and the cents both parsers read from each (undefined: refused).
  it.each([
    ['zero is an amount', ['0', '0.00'], 0],
    ['whole dollars', ['12'], 1200],
    ['two decimals', ['1000.01'], 100001],
    ['one decimal means tenths, so `0.5` is `0.50`', ['0.5', '0.50'], 50],
    ['the largest amount has ten whole digits', ['9999999999.99'], 999_999_999_999],
    ['more than ten whole digits', ['10000000000'], undefined],
    ['`.5` has no whole part and `1.` no decimals', ['.5', '1.'], undefined],
    ['a leading zero', ['01', '00.50'], undefined],
    ['three decimals, or a fraction of a cent after zeros', ['1.234', '1.000001'], undefined],
    ['an exponent or another base', ['1e2', '0x10'], undefined],
    ['a sign', ['-1', '+1', '-0.100000'], undefined],
    ['spaces and separators', [' 1', '1 ', '1 000', '1,000.00'], undefined],
    ['nothing, or a digit that is not ASCII', ['', '١'], undefined],
  ] as const)('%s: %j', (_rule, texts, cents) => {
    for (const text of texts) {
      expect(parseAmount(text)).toBe(cents)
      expect(parseFpsAmount(text)).toBe(cents)
    }
  })

  it("differ only in zeros past the cent, which FPS's six-decimal form has", () => {
    for (const [text, cents] of [
      ['1.500000', 150],
      ['0.000', 0],
      ['12.3400', 1234],
    ] as const) {
      expect(parseAmount(text)).toBeUndefined()
      expect(parseFpsAmount(text)).toBe(cents)
    }
  })

  it('round-trips with formatCents and formatXmlAmount for every cent value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999_999 }), (cents) => {
        expect(parseAmount(formatCents(cents))).toBe(cents)
        expect(parseFpsAmount(formatXmlAmount(cents))).toBe(cents)
      })
    )
  })
})

describe('formatCents and formatXmlAmount', () => {
  it.each([
    [0, '0.00', '0.000000'],
    [90, '0.90', '0.900000'],
    [1234, '12.34', '12.340000'],
    [-10, '-0.10', '-0.100000'],
  ])('writes %d cents as %s and %s', (cents, plain, xml) => {
    expect(formatCents(cents)).toBe(plain)
    expect(formatXmlAmount(cents)).toBe(xml)
  })
})
