import { describe, expect, it } from 'vitest'
import { parseForm } from './body.js'

describe('parseForm', () => {
  it('keeps every name as its own parameter, __proto__ included, so none escapes the signature', () => {
    const params = parseForm('status=SA&__proto__=x&constructor=y')
    expect(Object.keys(params)).toEqual(['status', '__proto__', 'constructor'])
    expect(params.__proto__).toBe('x')
  })

  it('refuses a name given twice', () => {
    expect(() => parseForm('status=SA&status=SC')).toThrow(/more than once/)
  })
})
