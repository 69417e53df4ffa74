import { describe, expect, it } from 'vitest'
import { checkLogo } from './logo.js'

const hosts = ['shop.example', 'cdn.shop.example']

describe('checkLogo', () => {
  it('admits https logos from an allowed host', () => {
    expect(checkLogo('https://cdn.shop.example/logo.png', hosts)).toBe(
      'https://cdn.shop.example/logo.png'
    )
  })

  it('admits http logos only from an allowed loopback host, for local development', () => {
    expect(checkLogo('http://127.0.0.1:5173/logo.svg', ['127.0.0.1'])).toBe(
      'http://127.0.0.1:5173/logo.svg'
    )
    expect(() => checkLogo('http://127.0.0.1/logo.svg', hosts)).toThrow(
      expect.objectContaining({ code: 'logo_not_allowed' })
    )
  })

  it.each([
    'http://shop.example/logo.png',
    'http://10.0.0.1/logo.png',
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
