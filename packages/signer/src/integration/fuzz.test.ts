import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSigner, type Signer } from '../app.js'
import { ERROR_STATUS } from '../http/contract.js'

let signer: Signer
const ADMIN = 'Bearer admin-token-for-fuzzing-0123456789'

beforeAll(async () => {
  signer = createSigner({
    accessKeyId: 'AKIAFUZZ',
    secretKey: 'fuzz-secret',
    apiUrl: 'http://127.0.0.1:9/',
    returnUrl: 'https://shop.example/return',
    adminToken: ADMIN.slice('Bearer '.length),
    databaseUrl: 'file::memory:',
    catalog: { items: { song: { price: '0.90' }, gift: { min: '1', max: '10' } } },
    checkoutRateLimit: { limit: 1_000_000, windowMs: 60_000 },
    returnRateLimit: { limit: 1_000_000, windowMs: 60_000 },
    authFailureLimit: { limit: 1_000_000, windowMs: 60_000 },
    log: () => undefined,
  })
  await signer.ready
})
afterAll(() => signer?.close())

const encoder = new TextEncoder()

const amount = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '0.90',
      '0.9',
      '1',
      '5.50',
      '10.00',
      '10.01',
      '0',
      '1e3',
      '-1',
      '0.001'
    ),
  },
  fc.string(),
  fc.double()
)

/** Near-valid request bodies, so most runs reach the policies and handlers rather than the parser. */
const shaped = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record(
      {
        amount,
        reason: fc.oneof(
          { weight: 3, arbitrary: fc.string({ minLength: 1 }) },
          fc.string({ unit: 'binary' })
        ),
        currencyCode: fc.oneof(
          { weight: 3, arbitrary: fc.constant('USD') },
          fc.string(),
          fc.integer()
        ),
        logo: fc.oneof(fc.webUrl(), fc.string()),
        item: fc.oneof(
          { weight: 3, arbitrary: fc.constantFrom('song', 'gift', 'constructor', '__proto__') },
          fc.string()
        ),
      },
      { requiredKeys: ['amount', 'reason', 'item'] }
    ),
  },
  fc.record({ query: fc.oneof(fc.string(), fc.webQueryParameters()) }),
  fc.record({ amount }, { requiredKeys: [] }),
  fc.record({ amount, reason: fc.string(), unknown: fc.anything() })
)

/** Bodies a client can send: near-valid ones, JSON of any shape, forms, bytes that are not UTF-8. */
const body = fc.oneof(
  { weight: 5, arbitrary: shaped.map((value) => encoder.encode(JSON.stringify(value))) },
  fc.jsonValue().map((value) => encoder.encode(JSON.stringify(value))),
  fc.string({ unit: 'binary' }).map((text) => encoder.encode(text)),
  fc.uint8Array({ maxLength: 64 }),
  fc
    .dictionary(fc.string(), fc.string())
    .map((form) => encoder.encode(new URLSearchParams(form).toString()))
)

const route = fc.oneof(
  {
    weight: 9,
    arbitrary: fc.constantFrom(
      { method: 'POST', path: '/checkout' },
      { method: 'POST', path: '/return' },
      { method: 'POST', path: '/ipn' },
      { method: 'GET', path: '/orders/ord_x' },
      { method: 'GET', path: '/admin/orders?status=pending&limit=5' },
      { method: 'POST', path: '/admin/orders/ord_x/refund' },
      { method: 'POST', path: '/admin/orders/ord_x/settle' },
      { method: 'POST', path: '/admin/orders/ord_x/cancel' },
      { method: 'POST', path: '/admin/orders/ord_x/refresh' },
      { method: 'GET', path: '/admin/events?type=order.paid&limit=5' },
      { method: 'POST', path: '/admin/events/evt_x/redeliver' }
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
      path: fc.webPath(),
    }),
  }
)

const request = fc.record({
  route,
  contentType: fc.oneof(
    { weight: 6, arbitrary: fc.constant('application/json') },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        'application/json; charset=utf-8',
        'application/x-www-form-urlencoded',
        'text/plain',
        undefined
      ),
    }
  ),
  authorization: fc.constantFrom(undefined, ADMIN, 'Bearer nope', 'Basic x'),
  idempotencyKey: fc.option(fc.string({ unit: 'grapheme-ascii', maxLength: 300 }), {
    nil: undefined,
  }),
  body,
})

describe('anything a client can send', () => {
  it('is answered below 500, with a stable error code and nothing internal', async () => {
    await fc.assert(
      fc.asyncProperty(
        request,
        async ({ route: { method, path }, contentType, authorization, idempotencyKey, body }) => {
          const headers: Record<string, string> = {}
          if (contentType) headers['content-type'] = contentType
          if (authorization) headers.authorization = authorization
          if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey
          const hasBody = method !== 'GET'
          const response = await signer.app.request(path, {
            method,
            headers,
            ...(hasBody ? { body } : {}),
          })
          expect(response.status, `${method} ${path}`).toBeLessThan(500)
          if (response.status >= 400) {
            const text = await response.text()
            const answer = JSON.parse(text) as { error: { code: string; message: string } }
            expect(Object.keys(ERROR_STATUS)).toContain(answer.error.code)
            expect(ERROR_STATUS[answer.error.code as keyof typeof ERROR_STATUS]).toBe(
              response.status
            )
            expect(text).not.toMatch(/ {4}at |\\n|node_modules|\/src\/|fuzz-secret/)
          }
        }
      ),
      { numRuns: 400 }
    )
  })

  it('still serves a well-formed checkout', async () => {
    const response = await signer.app.request('/checkout', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ amount: '0.90', reason: 'Song', item: 'song' }),
    })
    expect(await response.json()).toMatchObject({ callerReference: expect.stringMatching(/^ord_/) })
  })

  it('answers 413 for a body over the limit and 400 for bytes that are not UTF-8', async () => {
    const huge = await signer.app.request('/checkout', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ amount: '0.90', reason: 'x'.repeat(1_000_000) }),
    })
    expect(huge.status).toBe(413)
    expect(((await huge.json()) as { error: { code: string } }).error.code).toBe(
      'payload_too_large'
    )
    const invalid = await signer.app.request('/return', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    })
    expect(invalid.status).toBe(400)
    const deep = await signer.app.request('/checkout', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '['.repeat(30_000),
    })
    expect(deep.status).toBe(400)
  })
})
