import { Harness } from '@fps-checkout/signer/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

let h: Harness
const SHOP = 'https://shop.example'

beforeAll(async () => {
  h = await Harness.start({
    signer: {
      catalog: {
        items: {
          'now-and-forever': { price: '0.90' },
          donation: { min: '1.00', max: '100.00' },
        },
      },
      logoHosts: ['cdn.shop.example'],
      allowedOrigins: [SHOP],
      checkoutRateLimit: { limit: 40, windowMs: 60_000 },
    },
  })
})
afterAll(() => h?.close())

const song = { amount: '0.90', reason: 'Now and Forever', item: 'now-and-forever' }

describe('the price policy', () => {
  it('charges a catalog item its price, and the order keeps that amount to the end', async () => {
    const { json } = await h.checkout({ ...song, amount: '0.9' })
    const url = new URL(json.url!)
    expect(url.searchParams.get('transactionAmount')).toBe('0.90')
    const back = await h.returnWith(await h.authorize(json.url!))
    expect(back.json.order).toMatchObject({
      status: 'success',
      amount: '0.90',
      item: 'now-and-forever',
    })
    expect(h.transactions(json.callerReference!)).toEqual([expect.objectContaining({ amount: 90 })])
  })

  it.each([
    [{ ...song, amount: '0.10' }, 'price_mismatch', /0\.90 USD, not 0\.10/],
    [{ ...song, item: 'unknown' }, 'unknown_item', /"unknown"/],
    [{ amount: '5.00', reason: 'No item' }, 'unknown_item', /catalog items only/],
    [
      { amount: '0.99', reason: 'Gift', item: 'donation' },
      'amount_out_of_bounds',
      /1\.00 and 100\.00/,
    ],
    [
      { amount: '100.01', reason: 'Gift', item: 'donation' },
      'amount_out_of_bounds',
      /1\.00 and 100\.00/,
    ],
    [{ ...song, amount: '0.901' }, 'invalid_amount', /two decimals/],
    [{ ...song, amount: '-0.90' }, 'invalid_amount', /positive/],
    [{ ...song, logo: 'http://cdn.shop.example/logo.png' }, 'logo_not_allowed', /https/],
    [{ ...song, logo: 'https://evil.example/logo.png' }, 'logo_not_allowed', /FPS_LOGO_HOSTS/],
  ])('answers 422 for %j', async (body, code, message) => {
    const { status, json } = await h.checkout(body)
    expect(status).toBe(422)
    expect(json.error?.code).toBe(code)
    expect(json.error?.message).toMatch(message)
  })

  it('admits an open amount within bounds and a logo from an allowed host', async () => {
    const { status, json } = await h.checkout({
      amount: '42.50',
      reason: 'Gift',
      item: 'donation',
      logo: 'https://cdn.shop.example/logo.png',
    })
    expect(status).toBe(200)
    const url = new URL(json.url!)
    expect(url.searchParams.get('transactionAmount')).toBe('42.50')
    expect(url.searchParams.get('cobrandingUrl')).toBe('https://cdn.shop.example/logo.png')
  })

  it.each([
    [{ ...song, amount: 0.9 }, /amount/],
    [{ ...song, currencyCode: 'EUR' }, /currencyCode/],
    [{ ...song, returnURL: 'https://evil.example/' }, /Unknown field.*returnURL/],
    [{ reason: 'No amount' }, /amount/],
    [{ ...song, reason: '' }, /reason/],
  ])('answers 400 invalid_request for %j', async (body, message) => {
    const { status, json } = await h.checkout(body)
    expect(status).toBe(400)
    expect(json.error?.code).toBe('invalid_request')
    expect(json.error?.message).toMatch(message)
  })
})

describe('an Idempotency-Key', () => {
  it('answers the same order and URL for the same body, even when sent concurrently', async () => {
    const headers = { 'idempotency-key': `key-${Date.now()}` }
    const answers = await Promise.all([1, 2, 3].map(() => h.checkout(song, headers)))
    expect(new Set(answers.map((a) => a.json.callerReference)).size).toBe(1)
    expect(answers.map((a) => a.json)).toEqual([
      answers[0]?.json,
      answers[0]?.json,
      answers[0]?.json,
    ])
  })

  it('conflicts when reused with another body', async () => {
    const headers = { 'idempotency-key': `key-conflict-${Date.now()}` }
    expect((await h.checkout(song, headers)).status).toBe(200)
    const { status, json } = await h.checkout({ ...song, reason: 'Another song' }, headers)
    expect(status).toBe(409)
    expect(json.error?.code).toBe('idempotency_conflict')
  })

  it('must be visible ASCII', async () => {
    const { status } = await h.checkout(song, { 'idempotency-key': 'has space' })
    expect(status).toBe(400)
  })
})

describe('browser requests', () => {
  it('get CORS headers from an allowed origin and a 403 from any other', async () => {
    const allowed = await h.request('/checkout', {
      method: 'POST',
      headers: { origin: SHOP, 'content-type': 'application/json' },
      body: JSON.stringify(song),
    })
    expect(allowed.status).toBe(200)
    expect(allowed.headers.get('access-control-allow-origin')).toBe(SHOP)
    const refusedPrice = await h.request('/checkout', {
      method: 'POST',
      headers: { origin: SHOP, 'content-type': 'application/json' },
      body: JSON.stringify({ ...song, amount: '0.10' }),
    })
    expect(refusedPrice.status).toBe(422)
    expect(refusedPrice.headers.get('access-control-allow-origin')).toBe(SHOP)
    const refused = await h.request('/checkout', {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify(song),
    })
    expect(refused.status).toBe(403)
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(
      'origin_not_allowed'
    )
    expect(refused.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('from a refused origin get a preflight the browser blocks, and one warning naming the origin and the setting', async () => {
    const preflight = (origin: string) =>
      h.request('/checkout', {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      })
    const linesOf = (response: Response) =>
      h.logs
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((line) => line.requestId === response.headers.get('x-request-id'))
    const refused = await preflight('https://stranger.example')
    expect(refused.headers.get('access-control-allow-origin')).toBeNull()
    expect(linesOf(refused).filter((line) => line.level === 'warn')).toEqual([
      expect.objectContaining({
        msg: expect.stringContaining('FPS_ALLOWED_ORIGINS'),
        origin: 'https://stranger.example',
        setting: 'FPS_ALLOWED_ORIGINS',
      }),
    ])
    const allowed = await preflight(SHOP)
    expect(allowed.headers.get('access-control-allow-origin')).toBe(SHOP)
    expect(linesOf(allowed).map((line) => line.level)).toEqual(['info'])
  })

  it('carry secure headers and a request id', async () => {
    const response = await h.request('/healthz')
    expect(await response.json()).toEqual({ ok: true })
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(response.headers.get('x-request-id')).toMatch(/^[\w-]+$/)
  })

  it('without JavaScript post a form and are sent on with a 303', async () => {
    const response = await h.request('/checkout', {
      method: 'POST',
      redirect: 'manual',
      headers: { origin: SHOP, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(song).toString(),
    })
    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toMatch(/\/cobranded-ui\/actions\/start\?/)
  })
})

describe('the checkout rate limit', () => {
  it('answers 429 with Retry-After once a client has used its window', async () => {
    const limited = await Harness.start({
      signer: { checkoutRateLimit: { limit: 3, windowMs: 60_000 } },
    })
    try {
      const statuses: number[] = []
      let retryAfter: string | null = null
      for (let i = 0; i < 5; i++) {
        const response = await limited.request('/checkout', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ amount: '1.00', reason: 'Rate' }),
        })
        statuses.push(response.status)
        retryAfter ??= response.headers.get('retry-after')
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429])
      expect(Number(retryAfter)).toBeGreaterThan(0)
      expect((await limited.request('/healthz')).status).toBe(200)
    } finally {
      await limited.close()
    }
  })
})
