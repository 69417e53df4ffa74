import { describe, expect, it } from 'vitest'
import { newAccessToken } from './tokens.js'

describe('newAccessToken', () => {
  it('makes fresh tokens of 256 bits', () => {
    const tokens = [newAccessToken(), newAccessToken()]
    expect(tokens[0]).not.toBe(tokens[1])
    for (const token of tokens) expect(Buffer.from(token, 'base64url')).toHaveLength(32)
  })
})
