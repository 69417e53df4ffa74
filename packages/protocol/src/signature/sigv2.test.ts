import { describe, expect, it } from 'vitest'
import { canonicalQuery, sign, stringToSign, verifySignature } from './sigv2.js'

const secretKey = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
const accessKeyId = 'AKIAIOSFODNN7EXAMPLE'

const d1Params = {
  Action: 'Pay',
  AWSAccessKeyId: accessKeyId,
  CallerReference: 'order-1234',
  SenderTokenId: 'Z1LGRXR4HMDZBSFKXELA32KZASGWD8IHMHZCK4DETR784LDLD1GMFW4P3WT8VTGX',
  'TransactionAmount.Value': '1.00',
  'TransactionAmount.CurrencyCode': 'USD',
  Timestamp: '2010-10-01T12:00:00.000Z',
  Version: '2010-08-28',
  SignatureMethod: 'HmacSHA256',
  SignatureVersion: '2',
}
const fpsSandbox = 'https://fps.sandbox.amazonaws.com/'

describe('Signature Version 2 known-answer vectors', () => {
  it('D1: POST Pay with HmacSHA256', () => {
    const request = { method: 'POST', endpoint: fpsSandbox, params: d1Params } as const
    expect(stringToSign(request)).toBe(
      'POST\nfps.sandbox.amazonaws.com\n/\nAWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Action=Pay&CallerReference=order-1234&SenderTokenId=Z1LGRXR4HMDZBSFKXELA32KZASGWD8IHMHZCK4DETR784LDLD1GMFW4P3WT8VTGX&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=2010-10-01T12%3A00%3A00.000Z&TransactionAmount.CurrencyCode=USD&TransactionAmount.Value=1.00&Version=2010-08-28'
    )
    expect(sign({ ...request, secretKey, signatureMethod: 'HmacSHA256' })).toBe(
      'lZgwTNPby4PIgS08eOaRZAe2Ql/RJLr8vOlba37C5ms='
    )
  })

  it('D1b: the same request with HmacSHA1', () => {
    const params = { ...d1Params, SignatureMethod: 'HmacSHA1' }
    expect(
      sign({ method: 'POST', endpoint: fpsSandbox, params, secretKey, signatureMethod: 'HmacSHA1' })
    ).toBe('EuvmQd2lR43yIYWqHTMLClwkZkg=')
  })

  it('D1c: the same request as GET', () => {
    expect(
      sign({
        method: 'GET',
        endpoint: fpsSandbox,
        params: d1Params,
        secretKey,
        signatureMethod: 'HmacSHA256',
      })
    ).toBe('HHVOtWaiQhinymmORx5Pj5wT2QKShTE1lYgxXxdQ9Kg=')
  })

  it('D2: a CBUI request with a returnURL query, UTF-8, ~, * and %', () => {
    const params = {
      callerKey: accessKeyId,
      pipelineName: 'SingleUse',
      version: '2009-01-09',
      signatureVersion: '2',
      signatureMethod: 'HmacSHA256',
      callerReference: 'order-1234',
      returnURL: 'http://localhost:8080/return?order=1234&x=a b',
      transactionAmount: '19.99',
      paymentReason: 'Café ~ tea*2 (50% off)',
      paymentMethod: 'ABT,ACH,CC',
    }
    expect(canonicalQuery(params)).toBe(
      'callerKey=AKIAIOSFODNN7EXAMPLE&callerReference=order-1234&paymentMethod=ABT%2CACH%2CCC&paymentReason=Caf%C3%A9%20~%20tea%2A2%20%2850%25%20off%29&pipelineName=SingleUse&returnURL=http%3A%2F%2Flocalhost%3A8080%2Freturn%3Forder%3D1234%26x%3Da%20b&signatureMethod=HmacSHA256&signatureVersion=2&transactionAmount=19.99&version=2009-01-09'
    )
    const endpoint = 'https://authorize.payments-sandbox.amazon.com/cobranded-ui/actions/start'
    expect(
      sign({ method: 'GET', endpoint, params, secretKey, signatureMethod: 'HmacSHA256' })
    ).toBe('V/Q1MIxnuqVoif5T4WdcOBS01T7zAtnh3P860xbq/yc=')
  })
})

describe('stringToSign', () => {
  const shape = (endpoint: string, params: Record<string, string> = {}) =>
    stringToSign({ method: 'GET', endpoint, params })

  it('lower-cases the host and drops default ports', () => {
    expect(shape('HTTPS://FPS.Example.COM:443/')).toBe('GET\nfps.example.com\n/\n')
    expect(shape('http://example.com:80/x')).toBe('GET\nexample.com\n/x\n')
  })

  it('keeps a non-default port', () => {
    expect(shape('http://127.0.0.1:8080/ipn')).toBe('GET\n127.0.0.1:8080\n/ipn\n')
    expect(shape('https://example.com:80/')).toBe('GET\nexample.com:80\n/\n')
  })

  it('uses / for an empty path and encodes path segments but not slashes', () => {
    expect(shape('https://example.com')).toBe('GET\nexample.com\n/\n')
    expect(shape('https://example.com/a b/c*d/é')).toBe('GET\nexample.com\n/a%20b/c%2Ad/%C3%A9\n')
  })

  it('ignores signature and Signature but keeps signatureMethod and signatureVersion', () => {
    expect(
      shape('https://e.com/', {
        signature: 'x',
        Signature: 'y',
        signatureMethod: 'HmacSHA1',
        signatureVersion: '2',
      })
    ).toBe('GET\ne.com\n/\nsignatureMethod=HmacSHA1&signatureVersion=2')
  })

  it('encodes space as %20, + as %2B, % as %25, keeps ~ and writes = for empty values', () => {
    expect(shape('https://e.com/', { a: 'x y+z%~', b: '' })).toBe(
      'GET\ne.com\n/\na=x%20y%2Bz%25~&b='
    )
  })

  it('sorts by byte order: upper case before lower case, code points beyond the BMP last', () => {
    expect(
      canonicalQuery({ b: '1', AWSAccessKeyId: '2', Action: '3', '\u{1F600}': '4', '\uFFFD': '5' })
    ).toBe('AWSAccessKeyId=2&Action=3&b=1&%EF%BF%BD=5&%F0%9F%98%80=4')
  })

  it('rejects an endpoint that is not an absolute URL', () => {
    expect(() => shape('/relative')).toThrow(/endpoint/)
  })
})

describe('verifySignature', () => {
  const endpoint = 'http://127.0.0.1:8080/cobranded-ui/actions/start'
  const base = {
    callerKey: accessKeyId,
    signatureMethod: 'HmacSHA256',
    signatureVersion: '2',
    amount: '1.00',
  }

  it('accepts a signature over the host with or without the port', () => {
    for (const signedOver of [endpoint, 'http://127.0.0.1/cobranded-ui/actions/start']) {
      const signature = sign({
        method: 'GET',
        endpoint: signedOver,
        params: base,
        secretKey,
        signatureMethod: 'HmacSHA256',
      })
      expect(
        verifySignature({ method: 'GET', endpoint, params: { ...base, signature }, secretKey })
      ).toBe(true)
    }
  })

  it('rejects a changed parameter, a wrong key, a wrong verb and a missing signature', () => {
    const signature = sign({
      method: 'GET',
      endpoint,
      params: base,
      secretKey,
      signatureMethod: 'HmacSHA256',
    })
    const params = { ...base, signature }
    expect(
      verifySignature({ method: 'GET', endpoint, params: { ...params, amount: '1.01' }, secretKey })
    ).toBe(false)
    expect(verifySignature({ method: 'GET', endpoint, params, secretKey: `${secretKey}x` })).toBe(
      false
    )
    expect(verifySignature({ method: 'POST', endpoint, params, secretKey })).toBe(false)
    expect(verifySignature({ method: 'GET', endpoint, params: base, secretKey })).toBe(false)
    expect(
      verifySignature({
        method: 'GET',
        endpoint,
        params: { ...params, signatureMethod: 'RSA-SHA1' },
        secretKey,
      })
    ).toBe(false)
  })
})

describe('canonicalQuery reuse across calls', () => {
  it('never serves a remembered pair or order for changed values or another insertion order', () => {
    expect(canonicalQuery({ b: '1', a: 'x y' })).toBe('a=x%20y&b=1')
    expect(canonicalQuery({ b: '1', a: 'x z' })).toBe('a=x%20z&b=1')
    expect(canonicalQuery({ a: 'x z', b: '2' })).toBe('a=x%20z&b=2')
    expect(canonicalQuery({ a: 'x z', c: '3' })).toBe('a=x%20z&c=3')
    expect(canonicalQuery({ a: 'x z', b: '2', c: '3' })).toBe('a=x%20z&b=2&c=3')
  })
})
