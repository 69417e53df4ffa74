import { describe, expect, it } from 'vitest'
import { orderAccessToken } from './tokens.js'

describe('orderAccessToken', () => {
  it('is one 256-bit token per order and secret', () => {
    const token = orderAccessToken('secret-a', 'ord_1')
    expect(Buffer.from(token, 'base64url')).toHaveLength(32)
    expect(orderAccessToken('secret-a', 'ord_1')).toBe(token)
    expect(orderAccessToken('secret-a', 'ord_2')).not.toBe(token)
    expect(orderAccessToken('secret-b', 'ord_1')).not.toBe(token)
  })
})
