import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { FpsError } from '../errors.js'
import { verifySignature } from '../signature/sigv2.js'
import { FpsClient } from './client.js'
import { createFpsVerifier } from './fps-verifier.js'

/** A local HTTP peer that answers with scripted FPS bodies and records what it received. */
interface Reply {
  status: number
  body: string
  hangUp?: boolean
}
let replies: Reply[] = []
let received: { body: string; contentType: string | undefined }[] = []
let server: Server
let endpoint: string

const secretKey = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
const payResponse = (version: string, id = '14GK6BGKA7U6OU6SUTNLBI5SBBV9PGDJ6UL') =>
  `<?xml version="1.0"?><PayResponse xmlns="http://fps.amazonaws.com/doc/${version}/"><PayResult><TransactionId>${id}</TransactionId><TransactionStatus>Pending</TransactionStatus></PayResult><ResponseMetadata><RequestId>c21e7735-9c08-4cd8-99bf-535a848c79b4:0</RequestId></ResponseMetadata></PayResponse>`
const legacyError =
  '<?xml version="1.0"?><Response><Errors><Error><Code>InvalidParams</Code><Message>transactionId has to be a valid transaction ID. Specified value: FAKE</Message></Error></Errors><RequestID>50ca0b2f-9435-4852-a889-89d144c07ff6</RequestID></Response>'
const xsdError =
  '<ErrorResponse xmlns="http://fps.amazonaws.com/doc/2010-08-28/"><Error><Type>Receiver</Type><Code>InternalError</Code><Message>Try again.</Message><Detail/></Error><RequestId>r-2</RequestId></ErrorResponse>'

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

beforeAll(async () => {
  const answer = async (request: IncomingMessage, response: ServerResponse) => {
    received.push({ body: await readBody(request), contentType: request.headers['content-type'] })
    const reply = replies.shift() ?? { status: 500, body: 'no reply scripted' }
    if (reply.hangUp) {
      request.socket.destroy()
      return
    }
    response.writeHead(reply.status, { 'content-type': 'text/xml' }).end(reply.body)
  }
  server = createServer((request, response) => {
    answer(request, response).catch((error: unknown) => {
      console.error('the scripted FPS peer failed:', error)
      response.destroy()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))
beforeEach(() => {
  replies = []
  received = []
})

const client = (options: Partial<ConstructorParameters<typeof FpsClient>[0]> = {}) =>
  new FpsClient({
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    secretKey,
    endpoint,
    retryDelayMs: () => 1,
    ...options,
  })

const payment = {
  SenderTokenId: 'Z1LGRXR4HMDZBSFKXELA32KZASGWD8IHMHZCK4DETR784LDLD1GMFW4P3WT8VTGX',
  TransactionAmount: { Value: '1.00', CurrencyCode: 'USD' },
  CallerReference: 'order-1234',
} as const

describe('FpsClient', () => {
  it('posts a signed form body that the receiver can verify and parses the result', async () => {
    replies = [{ status: 200, body: payResponse('2010-08-28') }]
    const result = await client().pay(payment)
    expect(result).toEqual({
      TransactionId: '14GK6BGKA7U6OU6SUTNLBI5SBBV9PGDJ6UL',
      TransactionStatus: 'Pending',
      requestId: 'c21e7735-9c08-4cd8-99bf-535a848c79b4:0',
    })
    const [sent] = received
    expect(sent?.contentType).toBe('application/x-www-form-urlencoded; charset=utf-8')
    const params = Object.fromEntries(new URLSearchParams(sent?.body))
    expect(params).toMatchObject({
      Action: 'Pay',
      Version: '2010-08-28',
      SignatureVersion: '2',
      SignatureMethod: 'HmacSHA256',
      'TransactionAmount.Value': '1.00',
      'TransactionAmount.CurrencyCode': 'USD',
      CallerReference: 'order-1234',
    })
    expect(params.Timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    expect(verifySignature({ method: 'POST', endpoint, params, secretKey })).toBe(true)
  })

  it('speaks 2008-09-17 on request', async () => {
    replies = [{ status: 200, body: payResponse('2008-09-17') }]
    await expect(client({ version: '2008-09-17' }).pay(payment)).resolves.toMatchObject({
      TransactionStatus: 'Pending',
    })
    expect(new URLSearchParams(received[0]?.body).get('Version')).toBe('2008-09-17')
  })

  it('flattens lists one-based', async () => {
    replies = [
      {
        status: 200,
        body: '<GetAccountActivityResponse><GetAccountActivityResult><BatchSize>0</BatchSize></GetAccountActivityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetAccountActivityResponse>',
      },
    ]
    const result = await client().getAccountActivity({
      StartDate: '2026-01-01T00:00:00Z',
      Role: ['Sender', 'Recipient'],
    })
    expect(result).toEqual({ BatchSize: '0', requestId: 'r' })
    const params = new URLSearchParams(received[0]?.body)
    expect([params.get('Role.1'), params.get('Role.2')]).toEqual(['Sender', 'Recipient'])
  })

  it('answers an action without a Result element with the request id alone', async () => {
    replies = [
      {
        status: 200,
        body: '<CancelTokenResponse><ResponseMetadata><RequestId>r-9</RequestId></ResponseMetadata></CancelTokenResponse>',
      },
    ]
    await expect(client().cancelToken({ TokenId: 'T' })).resolves.toEqual({ requestId: 'r-9' })
  })

  it('turns the <Response><Errors> form into an FpsError and does not retry a 400', async () => {
    replies = [{ status: 400, body: legacyError }]
    const error = await client()
      .getTransactionStatus({ TransactionId: 'FAKE' })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(FpsError)
    expect(error).toMatchObject({
      code: 'InvalidParams',
      message: 'transactionId has to be a valid transaction ID. Specified value: FAKE',
      requestId: '50ca0b2f-9435-4852-a889-89d144c07ff6',
      httpStatus: 400,
      retriable: false,
    })
    expect(received).toHaveLength(1)
  })

  it('retries 500 and 503 with byte-identical bodies, then reads the XSD error form', async () => {
    replies = [
      { status: 503, body: xsdError },
      { status: 500, body: xsdError },
      { status: 500, body: xsdError },
      { status: 500, body: xsdError },
    ]
    await expect(client().pay(payment)).rejects.toMatchObject({
      code: 'InternalError',
      requestId: 'r-2',
      retriable: true,
      httpStatus: 500,
    })
    expect(received).toHaveLength(4)
    expect(new Set(received.map((r) => r.body)).size).toBe(1)
  })

  it('retries a dropped connection with the same bytes and succeeds', async () => {
    replies = [
      { status: 0, body: '', hangUp: true },
      { status: 200, body: payResponse('2010-08-28') },
    ]
    await expect(client().pay(payment)).resolves.toMatchObject({
      TransactionId: '14GK6BGKA7U6OU6SUTNLBI5SBBV9PGDJ6UL',
    })
    expect(received).toHaveLength(2)
    expect(received[0]?.body).toBe(received[1]?.body)
  })

  it('reports a network failure as a retriable FpsError after its retries', async () => {
    replies = [
      { status: 0, body: '', hangUp: true },
      { status: 0, body: '', hangUp: true },
    ]
    await expect(client({ maxRetries: 1 }).pay(payment)).rejects.toMatchObject({
      code: 'NetworkFailure',
      retriable: true,
    })
  })

  it('reports a body that is not FPS XML as MalformedResponse', async () => {
    replies = [{ status: 200, body: '<html>proxy error</html>' }]
    await expect(client().pay(payment)).rejects.toMatchObject({
      code: 'MalformedResponse',
      httpStatus: 200,
    })
  })

  it('prepares a serialisable request that can be sent later, byte for byte', async () => {
    const fps = client()
    const prepared = JSON.parse(JSON.stringify(fps.prepare('Pay', payment)))
    replies = [
      { status: 200, body: payResponse('2010-08-28') },
      { status: 200, body: payResponse('2010-08-28') },
    ]
    await fps.send(prepared)
    await client().send(prepared)
    expect(received.map((r) => r.body)).toEqual([prepared.body, prepared.body])
  })

  it('refreshes a stored request with a new Timestamp and key but the same action parameters', () => {
    let now = new Date('2026-01-01T00:00:00.000Z')
    const old = client({ now: () => now }).prepare('Pay', payment)
    now = new Date('2026-01-02T00:00:00.000Z')
    const rotated = client({ now: () => now, accessKeyId: 'NEWKEY', secretKey: 'new-secret' })
    const fresh = Object.fromEntries(new URLSearchParams(rotated.refresh(old).body))
    const before = Object.fromEntries(new URLSearchParams(old.body))
    expect(fresh).toMatchObject({ Timestamp: '2026-01-02T00:00:00.000Z', AWSAccessKeyId: 'NEWKEY' })
    for (const name of [
      'Action',
      'CallerReference',
      'SenderTokenId',
      'TransactionAmount.Value',
      'TransactionAmount.CurrencyCode',
    ]) {
      expect(fresh[name]).toBe(before[name])
    }
    expect(
      verifySignature({ method: 'POST', endpoint, params: fresh, secretKey: 'new-secret' })
    ).toBe(true)
  })
})

describe('createFpsVerifier', () => {
  const message = {
    method: 'GET' as const,
    endpoint: 'https://shop.example/return?order=1',
    params: {
      order: '1',
      status: 'SA',
      signature: 'c2ln',
      certificateUrl: 'https://fps.sandbox.amazonaws.com/certs/1/PKICert.pem',
    },
  }
  const answer = (status: string) =>
    `<VerifySignatureResponse xmlns="http://fps.amazonaws.com/doc/2010-08-28/"><VerifySignatureResult><VerificationStatus>${status}</VerificationStatus></VerifySignatureResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></VerifySignatureResponse>`

  it('sends the endpoint without its query and every parameter, and accepts Success', async () => {
    replies = [{ status: 200, body: answer('Success') }]
    await expect(createFpsVerifier(client()).verify(message)).resolves.toBeUndefined()
    const params = new URLSearchParams(received[0]?.body)
    expect(params.get('UrlEndPoint')).toBe('https://shop.example/return')
    expect(params.get('HttpParameters')).toBe(
      'order=1&status=SA&signature=c2ln&certificateUrl=https%3A%2F%2Ffps.sandbox.amazonaws.com%2Fcerts%2F1%2FPKICert.pem'
    )
  })

  it('refuses the message when FPS answers Failure', async () => {
    replies = [{ status: 200, body: answer('Failure') }]
    await expect(createFpsVerifier(client()).verify(message)).rejects.toMatchObject({
      name: 'SignatureError',
    })
  })
})
