import { describe, expect, it } from 'vitest'
import { checkLogo } from './logo.js'

const hosts = ['shop.example', 'cdn.shop.example']

describe('checkLogo', () => {
  it('admits https logos from an allowed host', () => {
    expect(checkLogo('https://cdn.shop.example/logo.png', hosts)).toBe(
      'https://cdn.shop.example/logo.png'
    )
  })

  it('admits http logos only from an allowed loopback origin, for local development', () => {
    expect(checkLogo('http://127.0.0.1:5173/logo.svg', ['http://127.0.0.1:5173/'])).toBe(
      'http://127.0.0.1:5173/logo.svg'
    )
    expect(checkLogo('http://127.0.0.1/logo.svg', ['127.0.0.1'])).toBe('http://127.0.0.1/logo.svg')
    expect(() => checkLogo('http://127.0.0.1/logo.svg', hosts)).toThrow(
      expect.objectContaining({ code: 'logo_not_allowed' })
    )
  })

  it('compares host names canonically: any case, without a trailing dot, the default port', () => {
    expect(checkLogo('https://CDN.Shop.Example./logo.png', hosts)).toBe(
      'https://cdn.shop.example/logo.png'
    )
    expect(checkLogo('https://shop.example:443/logo.png', ['SHOP.example.'])).toBe(
      'https://shop.example/logo.png'
    )
  })

  it('admits an IP address only when that address is listed', () => {
    expect(checkLogo('https://192.168.1.1/logo.png', ['192.168.1.1'])).toBe(
      'https://192.168.1.1/logo.png'
    )
    expect(checkLogo('https://[2001:db8::1]/logo.png', ['[2001:db8::1]'])).toBe(
      'https://[2001:db8::1]/logo.png'
    )
  })

  it('admits only the paths under a listed URL prefix, on its origin', () => {
    const brand = ['https://cdn.shop.example/brand/', 'http://localhost:5173/assets/']
    expect(checkLogo('https://cdn.shop.example/brand/logo.png', brand)).toBe(
      'https://cdn.shop.example/brand/logo.png'
    )
    expect(checkLogo('http://localhost:5173/assets/logo.svg', brand)).toBe(
      'http://localhost:5173/assets/logo.svg'
    )
    for (const logo of [
      'https://cdn.shop.example/brandnew/logo.png',
      'https://cdn.shop.example/brand/../uploads/logo.png',
      'https://cdn.shop.example/uploads/logo.png',
      'https://cdn.shop.example:8443/brand/logo.png',
      'http://localhost:5174/assets/logo.svg',
      'http://cdn.shop.example/brand/logo.png',
    ]) {
      expect(() => checkLogo(logo, brand), logo).toThrow(
        expect.objectContaining({ code: 'logo_not_allowed' })
      )
    }
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
    'https://shop.example:8443/logo.png',
    'https://shop.example:80/logo.png',
    'https://3232235777/logo.png',
    'https://0x7f.1/logo.png',
    'https://0300.0250.1.1/logo.png',
    'https://[::1]/logo.png',
    'https://[::ffff:127.0.0.1]/logo.png',
    'https://shop.example../logo.png',
  ])('refuses %s', (logo) => {
    expect(() => checkLogo(logo, hosts)).toThrow(
      expect.objectContaining({ code: 'logo_not_allowed' })
    )
  })

  it('refuses another port of a listed loopback host', () => {
    expect(() => checkLogo('http://127.0.0.1:5173/logo.svg', ['127.0.0.1'])).toThrow(
      expect.objectContaining({ code: 'logo_not_allowed' })
    )
  })
})
