import { describe, expect, it } from 'vitest'
import { checkLogo } from './logo.js'

const hosts = ['shop.example', 'cdn.shop.example']

describe('checkLogo', () => {
  it('admits https logos from an allowed host', () => {
    expect(checkLogo('https://cdn.shop.example/logo.png', hosts)).toBe(
      'https://cdn.shop.example/logo.png'
    )
  })

  it.each([
    'http://shop.example/logo.png',
    'https://evil.example/logo.png',
    'https://shop.example.evil.example/logo.png',
    'https://user:pass@shop.example/logo.png',
    'javascript:alert(1)',
    '//shop.example/logo.png',
    'not a url',
  ])('refuses %s', (logo) => {
    expect(() => checkLogo(logo, hosts)).toThrow(
      expect.objectContaining({ code: 'logo_not_allowed' })
    )
  })
})
