import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { TEST_CERTIFICATE_PEM, TEST_PRIVATE_KEY_PEM } from '../../test/certificate.js'
import { stringToSign } from '../signature/sigv2.js'
import { signRsaSha1 } from './rsa.js'
import { createOutboundVerifier } from './verifier.js'

let server: Server
let origin: string
let certificateRequests = 0

beforeAll(async () => {
  server = createServer((request, response) => {
    certificateRequests++
    if (request.url?.startsWith('/certs/090910/PKICert.pem')) response.end(TEST_CERTIFICATE_PEM)
    else if (request.url?.startsWith('/certs/busy/')) response.writeHead(503).end()
    else response.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))
beforeEach(() => {
  certificateRequests = 0
})

const returnEndpoint = 'https://shop.example:8443/return'

function signedReturn(extra: Record<string, string> = {}) {
  const params: Record<string, string> = {
    order: '42',
    status: 'SC',
    tokenID: 'Q5IG5ETFCEBU8KBLTI4JHINQVL6VAJVHICBRR49AKLPIEZH1KB1S8C7VHAJJMLJ3',
    callerReference: 'order-42',
    expiry: '10/2030',
    signatureMethod: 'RSA-SHA1',
    signatureVersion: '2',
    certificateUrl: `${origin}/certs/090910/PKICert.pem?requestId=abc`,
    ...extra,
  }
  const signature = signRsaSha1({
    method: 'GET',
    endpoint: returnEndpoint,
    params,
    privateKey: TEST_PRIVATE_KEY_PEM,
  })
  const signed: Record<string, string> = { ...params, signature }
  return { method: 'GET' as const, endpoint: returnEndpoint, params: signed }
}

const verifier = (prefix = `${origin}/certs/`) =>
  createOutboundVerifier({ allowedCertificatePrefixes: [prefix] })

describe('createOutboundVerifier', () => {
  it('accepts a signed return, including the query the return URL already had', async () => {
    await expect(verifier().verify(signedReturn())).resolves.toBeUndefined()
  })

  it('accepts the signature wrapped at 76 columns, as the FPS sandbox sent it', async () => {
    const message = signedReturn()
    const wrapped = (message.params.signature ?? '').replace(/(.{76})/g, '$1\n')
    expect(wrapped).toContain('\n')
    await expect(
      verifier().verify({ ...message, params: { ...message.params, signature: wrapped } })
    ).resolves.toBeUndefined()
  })

  it('ignores a query string on the receiving endpoint', async () => {
    const message = signedReturn()
    await expect(
      verifier().verify({ ...message, endpoint: `${returnEndpoint}?order=42` })
    ).resolves.toBeUndefined()
  })

  it.each(['status', 'tokenID', 'callerReference', 'expiry', 'order', 'certificateUrl'])(
    'refuses a message whose %s was changed',
    async (name) => {
      const message = signedReturn()
      const params = { ...message.params, [name]: `${message.params[name]}0` }
      const allowed = name === 'certificateUrl' ? `${origin}/` : `${origin}/certs/`
      await expect(verifier(allowed).verify({ ...message, params })).rejects.toMatchObject({
        code: 'signature_invalid',
      })
    }
  )

  it('refuses, without throwing anything else, a message whose text cannot be built', async () => {
    const message = signedReturn()
    const notUnicode = { ...message, params: { ...message.params, order: '\uD800' } }
    await expect(verifier().verify(notUnicode)).rejects.toMatchObject({ code: 'signature_invalid' })
  })

  it('refuses an added Signature parameter, which the canonical query would not cover', async () => {
    const message = signedReturn()
    await expect(
      verifier().verify({ ...message, params: { ...message.params, Signature: 'x' } })
    ).rejects.toMatchObject({ code: 'signature_invalid' })
  })

  it('refuses a changed signature byte, an added parameter, another verb and another endpoint', async () => {
    const message = signedReturn()
    const signature = message.params.signature ?? ''
    const flipped = signature[10] === 'A' ? 'B' : 'A'
    const cases = [
      {
        ...message,
        params: {
          ...message.params,
          signature: signature.slice(0, 10) + flipped + signature.slice(11),
        },
      },
      { ...message, params: { ...message.params, extra: '1' } },
      { ...message, method: 'POST' as const },
      { ...message, endpoint: 'https://shop.example:8443/return/' },
    ]
    for (const tampered of cases)
      await expect(verifier().verify(tampered)).rejects.toMatchObject({ code: 'signature_invalid' })
  })

  it('refuses certificate URLs off the allow-list without fetching them', async () => {
    for (const certificateUrl of [
      'https://evil.example/certs/090910/PKICert.pem',
      `${origin}/certsX/PKICert.pem`,
      `${origin}/other/PKICert.pem`,
      'not a url',
    ]) {
      await expect(verifier().verify(signedReturn({ certificateUrl }))).rejects.toMatchObject({
        code: 'certificate_not_allowed',
      })
    }
    expect(certificateRequests).toBe(0)
  })

  it('refuses other signature methods and versions, and a missing signature', async () => {
    const message = signedReturn()
    for (const change of [
      { signatureMethod: 'HmacSHA256' },
      { signatureVersion: '1' },
      { signature: '' },
    ]) {
      await expect(
        verifier().verify({ ...message, params: { ...message.params, ...change } })
      ).rejects.toMatchObject({
        name: 'SignatureError',
      })
    }
  })

  it('fetches a certificate once and reuses it until it expires', async () => {
    let now = new Date('2030-01-01T00:00:00Z')
    const cached = createOutboundVerifier({
      allowedCertificatePrefixes: [`${origin}/certs/`],
      ttlMs: 1000,
      now: () => now,
    })
    await cached.verify(signedReturn())
    await cached.verify(signedReturn({ order: '43' }))
    expect(certificateRequests).toBe(1)
    now = new Date(now.getTime() + 1001)
    await cached.verify(signedReturn())
    expect(certificateRequests).toBe(2)
  })

  it('tells a certificate host that did not answer (5xx, no connection) from a bad certificate', async () => {
    const busy = signedReturn({ certificateUrl: `${origin}/certs/busy/PKICert.pem` })
    await expect(verifier().verify(busy)).rejects.toMatchObject({ code: 'certificate_unreachable' })
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const deadOrigin = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const unanswered = signedReturn({ certificateUrl: `${deadOrigin}/certs/1/PKICert.pem` })
    await expect(verifier(`${deadOrigin}/certs/`).verify(unanswered)).rejects.toMatchObject({
      code: 'certificate_unreachable',
    })
  })

  it('downloads a certificate once whatever query its URL carries', async () => {
    const v = verifier()
    for (let i = 0; i < 5; i++) {
      await v.verify(
        signedReturn({ certificateUrl: `${origin}/certs/090910/PKICert.pem?requestId=${i}` })
      )
    }
    expect(certificateRequests).toBe(1)
  })

  it('reports an unavailable certificate and does not cache the failure', async () => {
    const message = signedReturn({ certificateUrl: `${origin}/certs/missing/PKICert.pem` })
    const v = verifier()
    await expect(v.verify(message)).rejects.toMatchObject({ code: 'certificate_unavailable' })
    await expect(v.verify(message)).rejects.toMatchObject({ code: 'certificate_unavailable' })
    expect(certificateRequests).toBe(2)
  })
})

describe('outbound string to sign', () => {
  it('matches the canonical string of the published return R1', () => {
    const params = {
      expiry: '10/2013',
      tokenID: 'Q5IG5ETFCEBU8KBLTI4JHINQVL6VAJVHICBRR49AKLPIEZH1KB1S8C7VHAJJMLJ3',
      status: 'SC',
      callerReference: '1253247023946cMcrTRrjtLjNrZGNKchWfDtUEIGuJfiOBAAJYPjbytBV',
      signatureMethod: 'RSA-SHA1',
      signatureVersion: '2',
      certificateUrl: 'https://fps.amazonaws.com/certs/090909/PKICert.pem',
      signature: 'ignored',
    }
    expect(
      stringToSign({ method: 'GET', endpoint: 'http://www.mysite.com/call_pay.jsp', params })
    ).toBe(
      'GET\nwww.mysite.com\n/call_pay.jsp\ncallerReference=1253247023946cMcrTRrjtLjNrZGNKchWfDtUEIGuJfiOBAAJYPjbytBV&certificateUrl=https%3A%2F%2Ffps.amazonaws.com%2Fcerts%2F090909%2FPKICert.pem&expiry=10%2F2013&signatureMethod=RSA-SHA1&signatureVersion=2&status=SC&tokenID=Q5IG5ETFCEBU8KBLTI4JHINQVL6VAJVHICBRR49AKLPIEZH1KB1S8C7VHAJJMLJ3'
    )
  })

  it('matches the canonical string of the published IPN R2', () => {
    const params = {
      transactionId: '14DRG2JGR7LK4J54P544DKKNDLQFFZLE323',
      transactionDate: '1251832057',
      status: 'INITIATED',
      notificationType: 'TransactionStatus',
      callerReference: 'callerReference=ReferenceStringJYI1251832057319108',
      operation: 'PAY',
      transactionAmount: 'USD 1.00',
      buyerName: 'BuyerName-SsUo3oDjHx',
      paymentMethod: 'CC',
      paymentReason: 'DescriptionString-1251832057319108',
      recipientEmail: 'recipientemail@amazon.com',
      signatureMethod: 'RSA-SHA1',
      signatureVersion: '2',
      certificateUrl: 'https://fps.amazonaws.com/certs/090909/PKICert.pem',
    }
    expect(
      stringToSign({ method: 'POST', endpoint: 'http://www.mysite.com/ipn.jsp', params })
    ).toBe(
      'POST\nwww.mysite.com\n/ipn.jsp\nbuyerName=BuyerName-SsUo3oDjHx&callerReference=callerReference%3DReferenceStringJYI1251832057319108&certificateUrl=https%3A%2F%2Ffps.amazonaws.com%2Fcerts%2F090909%2FPKICert.pem&notificationType=TransactionStatus&operation=PAY&paymentMethod=CC&paymentReason=DescriptionString-1251832057319108&recipientEmail=recipientemail%40amazon.com&signatureMethod=RSA-SHA1&signatureVersion=2&status=INITIATED&transactionAmount=USD%201.00&transactionDate=1251832057&transactionId=14DRG2JGR7LK4J54P544DKKNDLQFFZLE323'
    )
  })
})
