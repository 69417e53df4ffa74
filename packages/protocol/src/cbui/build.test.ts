import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { InvalidParameterError } from '../errors.js'
import { verifySignature } from '../signature/sigv2.js'
import { buildCbuiUrl, type CbuiRequest } from './build.js'
import { CBUI_ENDPOINTS } from './parameters.js'

const credentials = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
}
const local = 'http://127.0.0.1:4100/cobranded-ui/actions/start'
const returnURL = 'https://shop.example/return?order=42'

function paramsOf(url: string): Record<string, string> {
  return Object.fromEntries(new URL(url).searchParams)
}

function verifies(url: string, params = paramsOf(url)): boolean {
  const { origin, pathname } = new URL(url)
  return verifySignature({
    method: 'GET',
    endpoint: origin + pathname,
    params,
    secretKey: credentials.secretKey,
  })
}

const validRequests: CbuiRequest[] = [
  {
    pipelineName: 'SingleUse',
    callerReference: 'o-1',
    returnURL,
    transactionAmount: '0.90',
    paymentMethod: 'ABT,CC',
    reserve: true,
  },
  {
    pipelineName: 'MultiUse',
    callerReference: 'o-2',
    returnURL,
    globalAmountLimit: '100',
    usageLimitType1: 'Count',
    usageLimitValue1: '5',
    usageLimitPeriod1: '1 Month',
  },
  {
    pipelineName: 'Recurring',
    callerReference: 'o-3',
    returnURL,
    transactionAmount: '9.99',
    recurringPeriod: '1 Month',
    validityStart: new Date('2030-01-01T00:00:00Z'),
  },
  {
    pipelineName: 'Recipient',
    callerReference: 'o-4',
    returnURL,
    recipientPaysFee: false,
    maxFixedFee: '0.50',
    maxVariableFee: '5',
  },
  {
    pipelineName: 'SetupPrepaid',
    callerReferenceFunding: 'f-1',
    callerReferenceSender: 's-1',
    returnURL,
    fundingAmount: '50',
  },
  {
    pipelineName: 'SetupPostpaid',
    callerReferenceSender: 's-2',
    callerReferenceSettlement: 't-2',
    returnURL,
    creditLimit: '20',
    globalAmountLimit: '100',
  },
  {
    pipelineName: 'EditToken',
    callerReference: 'o-7',
    returnURL,
    tokenId: 'A5BB3HUNAZFJ5CRXIPH72LIODZUNAUZIVP7UB74QNFQDSQ9MN4HPIKISQZWPLJXF',
  },
]

describe('buildCbuiUrl', () => {
  it.each(validRequests)('builds a signed URL for the $pipelineName pipeline', (request) => {
    const url = buildCbuiUrl({ ...credentials, endpoint: local, request })
    const params = paramsOf(url)
    expect(params).toMatchObject({
      callerKey: credentials.accessKeyId,
      pipelineName: request.pipelineName,
      returnURL,
      version: '2009-01-09',
      signatureMethod: 'HmacSHA256',
      signatureVersion: '2',
    })
    expect(verifies(url)).toBe(true)
  })

  it('writes booleans as True/False and dates as epoch seconds', () => {
    const params = paramsOf(
      buildCbuiUrl({ ...credentials, endpoint: local, request: validRequests[2]! })
    )
    expect(params.validityStart).toBe('1893456000')
    expect(
      paramsOf(buildCbuiUrl({ ...credentials, endpoint: local, request: validRequests[0]! }))
        .reserve
    ).toBe('True')
  })

  it('resolves the named endpoints and signs with HmacSHA1 on request', () => {
    const url = buildCbuiUrl({
      ...credentials,
      endpoint: 'sandbox',
      signatureMethod: 'HmacSHA1',
      request: validRequests[0]!,
    })
    expect(url.startsWith(`${CBUI_ENDPOINTS.sandbox}?`)).toBe(true)
    expect(paramsOf(url).signatureMethod).toBe('HmacSHA1')
    expect(verifies(url)).toBe(true)
  })

  const base = {
    pipelineName: 'SingleUse',
    callerReference: 'o-1',
    returnURL,
    transactionAmount: '1.00',
  } as const
  it.each([
    ['transactionAmount', { transactionAmount: '1.005' }],
    ['transactionAmount', { transactionAmount: '-1' }],
    ['transactionAmount', { transactionAmount: '0.00' }],
    ['transactionAmount', { transactionAmount: '1e3' }],
    ['currencyCode', { currencyCode: 'EUR' }],
    ['paymentMethod', { paymentMethod: 'ABT,VISA' }],
    ['paymentMethod', { paymentMethod: 'CC,CC' }],
    ['callerReference', { callerReference: 'x'.repeat(129) }],
    ['callerReference', { callerReference: '' }],
    ['cobrandingUrl', { cobrandingUrl: 'http://shop.example/logo.png' }],
    ['cobrandingStyle', { cobrandingStyle: 'huge' }],
    ['returnURL', { returnURL: '/return' }],
    ['returnURL', { returnURL: 'javascript:alert(1)' }],
  ])('SingleUse refuses a bad %s', (parameter, change) => {
    const request = { ...base, ...change } as CbuiRequest
    expect(() => buildCbuiUrl({ ...credentials, endpoint: local, request })).toThrowError(
      expect.objectContaining({ name: 'InvalidParameterError', parameter })
    )
  })

  it.each([
    [
      'MultiUse',
      'globalAmountLimit',
      { pipelineName: 'MultiUse', callerReference: 'o', returnURL },
    ],
    [
      'MultiUse',
      'usageLimitValue1',
      {
        pipelineName: 'MultiUse',
        callerReference: 'o',
        returnURL,
        globalAmountLimit: '5',
        usageLimitType1: 'Amount',
      },
    ],
    [
      'MultiUse',
      'usageLimitValue1',
      {
        pipelineName: 'MultiUse',
        callerReference: 'o',
        returnURL,
        globalAmountLimit: '5',
        usageLimitType1: 'Count',
        usageLimitValue1: '2.5',
      },
    ],
    [
      'MultiUse',
      'usageLimitPeriod2',
      {
        pipelineName: 'MultiUse',
        callerReference: 'o',
        returnURL,
        globalAmountLimit: '5',
        usageLimitPeriod2: '1 Hour',
      },
    ],
    [
      'MultiUse',
      'recipientTokenList',
      {
        pipelineName: 'MultiUse',
        callerReference: 'o',
        returnURL,
        globalAmountLimit: '5',
        isRecipientCobranding: true,
      },
    ],
    [
      'MultiUse',
      'amountType',
      {
        pipelineName: 'MultiUse',
        callerReference: 'o',
        returnURL,
        globalAmountLimit: '5',
        amountType: 'Some',
      },
    ],
    [
      'Recurring',
      'recurringPeriod',
      { pipelineName: 'Recurring', callerReference: 'o', returnURL, transactionAmount: '1' },
    ],
    [
      'Recurring',
      'recurringPeriod',
      {
        pipelineName: 'Recurring',
        callerReference: 'o',
        returnURL,
        transactionAmount: '1',
        recurringPeriod: 'monthly',
      },
    ],
    [
      'Recurring',
      'validityExpiry',
      {
        pipelineName: 'Recurring',
        callerReference: 'o',
        returnURL,
        transactionAmount: '1',
        recurringPeriod: '1 Month',
        validityStart: 2000,
        validityExpiry: 1000,
      },
    ],
    [
      'Recipient',
      'recipientPaysFee',
      {
        pipelineName: 'Recipient',
        callerReference: 'o',
        returnURL,
        maxFixedFee: '1',
        maxVariableFee: '5',
      },
    ],
    [
      'Recipient',
      'maxVariableFee',
      {
        pipelineName: 'Recipient',
        callerReference: 'o',
        returnURL,
        recipientPaysFee: true,
        maxFixedFee: '1',
        maxVariableFee: '101',
      },
    ],
    [
      'SetupPrepaid',
      'callerReferenceSender',
      { pipelineName: 'SetupPrepaid', callerReferenceFunding: 'f', returnURL, fundingAmount: '5' },
    ],
    [
      'SetupPrepaid',
      'fundingAmount',
      {
        pipelineName: 'SetupPrepaid',
        callerReferenceFunding: 'f',
        callerReferenceSender: 's',
        returnURL,
      },
    ],
    [
      'SetupPostpaid',
      'creditLimit',
      {
        pipelineName: 'SetupPostpaid',
        callerReferenceSender: 's',
        callerReferenceSettlement: 't',
        returnURL,
        globalAmountLimit: '5',
      },
    ],
    ['EditToken', 'tokenId', { pipelineName: 'EditToken', callerReference: 'o', returnURL }],
    [
      'EditToken',
      'transactionAmount',
      {
        pipelineName: 'EditToken',
        callerReference: 'o',
        returnURL,
        tokenId: 'T',
        transactionAmount: '1',
      },
    ],
  ])('%s refuses a missing or bad %s', (_pipeline, parameter, request) => {
    expect(() =>
      buildCbuiUrl({ ...credentials, endpoint: local, request: request as CbuiRequest })
    ).toThrowError(expect.objectContaining({ parameter }))
  })

  it('accepts an http co-branding logo only on a loopback host, for local development', () => {
    for (const cobrandingUrl of [
      'http://127.0.0.1:5173/logo.png',
      'http://localhost/logo.png',
      'http://[::1]:8080/l.png',
    ]) {
      const url = buildCbuiUrl({
        ...credentials,
        endpoint: local,
        request: { ...base, cobrandingUrl },
      })
      expect(paramsOf(url).cobrandingUrl).toBe(cobrandingUrl)
    }
    for (const cobrandingUrl of [
      'http://127.0.0.1.example/logo.png',
      'http://10.0.0.1/logo.png',
      'ftp://localhost/l.png',
    ]) {
      expect(() =>
        buildCbuiUrl({ ...credentials, endpoint: local, request: { ...base, cobrandingUrl } })
      ).toThrowError(expect.objectContaining({ parameter: 'cobrandingUrl' }))
    }
  })

  it('refuses an unknown pipeline by naming pipelineName', () => {
    const request = {
      pipelineName: 'Subscription',
      callerReference: 'o',
      returnURL,
    } as unknown as CbuiRequest
    expect(() => buildCbuiUrl({ ...credentials, endpoint: local, request })).toThrow(
      InvalidParameterError
    )
  })
})

const anyText = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
const anyAmount = fc
  .tuple(fc.integer({ min: 0, max: 99999 }), fc.integer({ min: 1, max: 99 }))
  .map(([units, cents]) => `${units}.${String(cents).padStart(2, '0')}`)

describe('CBUI URL round trip (property-based)', () => {
  const requests = fc.record({
    callerReference: anyText.filter((s) => [...s].length <= 128),
    paymentReason: anyText,
    transactionAmount: anyAmount,
    websiteDescription: anyText,
    returnQuery: anyText,
  })

  it('a URL built then parsed yields the same parameters and verifies', () => {
    fc.assert(
      fc.property(requests, ({ returnQuery, ...fields }) => {
        const request = {
          pipelineName: 'SingleUse',
          returnURL: `${returnURL}&q=${encodeURIComponent(returnQuery)}`,
          ...fields,
        } as const
        const url = buildCbuiUrl({ ...credentials, endpoint: local, request })
        const params = paramsOf(url)
        expect(params).toMatchObject({ ...fields, returnURL: request.returnURL })
        expect(verifies(url)).toBe(true)
      })
    )
  })

  it('any changed byte of any parameter breaks verification', () => {
    fc.assert(
      fc.property(
        requests,
        fc.nat(),
        fc.integer({ min: 1, max: 0xfffe }),
        (fields, pick, delta) => {
          const { returnQuery: _ignored, ...rest } = fields
          const url = buildCbuiUrl({
            ...credentials,
            endpoint: local,
            request: { pipelineName: 'SingleUse', returnURL, ...rest },
          })
          const params = paramsOf(url)
          const names = Object.keys(params)
          const name = names[pick % names.length]!
          const value = params[name]!
          const position = pick % Math.max(value.length, 1)
          const code = ((value.charCodeAt(position) || 0x41) + delta) % 0xd800 || 0x42
          const changed =
            value.slice(0, position) + String.fromCharCode(code) + value.slice(position + 1)
          fc.pre(changed !== value)
          expect(verifies(url, { ...params, [name]: changed })).toBe(false)
        }
      )
    )
  })
})
