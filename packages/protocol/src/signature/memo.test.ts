import { describe, expect, it } from 'vitest'
import { buildCbuiUrl } from '../cbui/build.js'
import { InvalidParameterError } from '../errors.js'
import { passed, passedBefore } from './memo.js'

const signing = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  endpoint: 'http://127.0.0.1:4100/cobranded-ui/actions/start',
}
const checkout = (cobrandingUrl: string) =>
  buildCbuiUrl({
    ...signing,
    request: {
      pipelineName: 'SingleUse',
      callerReference: 'order-42',
      returnURL: 'https://shop.example/return',
      transactionAmount: '0.90',
      cobrandingUrl,
    },
  })

describe('the signer memo', () => {
  it('remembers for each parameter only the last value that passed', () => {
    const returnUrl = {}
    const logo = {}
    passed(returnUrl, 'https://a.example/')
    expect(passedBefore(returnUrl, 'https://a.example/')).toBe(true)
    expect(passedBefore(logo, 'https://a.example/')).toBe(false)
    passed(returnUrl, 'https://b.example/')
    expect(passedBefore(returnUrl, 'https://a.example/')).toBe(false)
  })

  it('checks a configuration value again once it changes, so a bad one is still refused', () => {
    expect(checkout('https://shop.example/logo.png')).toContain('cobrandingUrl=')
    expect(() => checkout('http://shop.example/logo.png')).toThrow(InvalidParameterError)
    expect(() => checkout('http://shop.example/logo.png')).toThrow(InvalidParameterError)
  })
})
