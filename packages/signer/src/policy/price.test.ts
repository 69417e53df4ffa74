import { describe, expect, it } from 'vitest'
import { SignerError } from '../errors.js'
import { parseCatalog } from './catalog.js'
import { priceOrder } from './price.js'

const catalog = parseCatalog({
  items: {
    song: { price: '0.90' },
    donation: { min: '1.00', max: '500.00' },
    tip: {},
  },
})

function codeOf(run: () => unknown): string | undefined {
  try {
    run()
  } catch (error) {
    return error instanceof SignerError ? error.code : 'not a SignerError'
  }
  return undefined
}

describe('priceOrder', () => {
  it('charges a fixed-price item its exact catalog price, however the decimal is written', () => {
    expect(priceOrder({ amount: '0.90', currencyCode: 'USD', item: 'song' }, catalog)).toBe(90)
    expect(priceOrder({ amount: '0.9', currencyCode: 'USD', item: 'song' }, catalog)).toBe(90)
  })

  it('refuses a fixed-price item at any other price or currency', () => {
    expect(
      codeOf(() => priceOrder({ amount: '0.10', currencyCode: 'USD', item: 'song' }, catalog))
    ).toBe('price_mismatch')
    expect(
      codeOf(() => priceOrder({ amount: '0.91', currencyCode: 'USD', item: 'song' }, catalog))
    ).toBe('price_mismatch')
    expect(
      codeOf(() => priceOrder({ amount: '0.90', currencyCode: 'EUR', item: 'song' }, catalog))
    ).toBe('price_mismatch')
  })

  it('keeps an open amount within its bounds, both ends included', () => {
    expect(priceOrder({ amount: '1.00', currencyCode: 'USD', item: 'donation' }, catalog)).toBe(100)
    expect(priceOrder({ amount: '500', currencyCode: 'USD', item: 'donation' }, catalog)).toBe(
      50000
    )
    expect(
      codeOf(() => priceOrder({ amount: '0.99', currencyCode: 'USD', item: 'donation' }, catalog))
    ).toBe('amount_out_of_bounds')
    expect(
      codeOf(() => priceOrder({ amount: '500.01', currencyCode: 'USD', item: 'donation' }, catalog))
    ).toBe('amount_out_of_bounds')
    expect(priceOrder({ amount: '123456.78', currencyCode: 'USD', item: 'tip' }, catalog)).toBe(
      12345678
    )
  })

  it('names unknown items, including inherited property names', () => {
    expect(
      codeOf(() => priceOrder({ amount: '1.00', currencyCode: 'USD', item: 'nope' }, catalog))
    ).toBe('unknown_item')
    expect(
      codeOf(() =>
        priceOrder({ amount: '1.00', currencyCode: 'USD', item: 'constructor' }, catalog)
      )
    ).toBe('unknown_item')
    expect(
      codeOf(() => priceOrder({ amount: '1.00', currencyCode: 'USD', item: undefined }, catalog))
    ).toBe('unknown_item')
  })

  it('refuses amounts that are not positive two-decimal strings', () => {
    for (const amount of ['0', '0.00', '1.001', '-1', '1e3', 'NaN']) {
      expect(
        codeOf(() => priceOrder({ amount, currencyCode: 'USD', item: undefined }, undefined))
      ).toBe('invalid_amount')
    }
  })

  it('accepts any positive amount when no catalog is configured', () => {
    expect(priceOrder({ amount: '19.99', currencyCode: 'USD', item: undefined }, undefined)).toBe(
      1999
    )
  })
})

describe('parseCatalog', () => {
  it('names the item and field that is wrong', () => {
    expect(() => parseCatalog({ items: { song: { price: '0.901' } } })).toThrow(/items\.song/)
    expect(() => parseCatalog({ items: { gift: { min: '5', max: '1' } } })).toThrow(
      /min must not exceed max/
    )
    expect(() => parseCatalog({ items: { song: { price: '1', extra: true } } })).toThrow(
      /items\.song/
    )
  })
})
