import { Hono } from 'hono'
import { secureHeaders } from 'hono/secure-headers'
import { describe, expect, it } from 'vitest'
import { createApp } from '../app.js'

const SHOP = 'https://shop.example'
const app = createApp({
  accessKeyId: 'AKIAHEADERS',
  secretKey: 'headers-secret',
  apiUrl: 'http://127.0.0.1:9/',
  returnUrl: 'https://shop.example/return',
  databaseUrl: 'file::memory:',
  allowedOrigins: [SHOP],
  bodyLimitBytes: 1024,
  log: () => undefined,
})

const song = JSON.stringify({ amount: '0.90', reason: 'Headers' })
const post = (path: string, headers: Record<string, string>, body = song) =>
  app.request(path, { method: 'POST', headers, body })
const json = { 'content-type': 'application/json' }
const form = { 'content-type': 'application/x-www-form-urlencoded' }

describe('every answer', () => {
  it('carries exactly the headers hono/secure-headers sets by default, so the list cannot drift', async () => {
    const stock = await new Hono()
      .use(secureHeaders())
      .get('/', (c) => c.text('ok'))
      .request('/')
    const ours = await app.request('/healthz')
    const expected = [...stock.headers].filter(([name]) => !/^content-/.test(name))
    expect(expected.length).toBeGreaterThan(5)
    for (const [name, value] of expected)
      expect([name, ours.headers.get(name)]).toEqual([name, value])
    const extra = [...ours.headers.keys()].filter(
      (name) => !stock.headers.has(name) && !/^(content-|vary$|x-request-id$)/.test(name)
    )
    expect(extra).toEqual([])
  })

  it('carries its own request id and the security headers, whatever its status', async () => {
    const answers = [
      await post('/checkout', json),
      await post('/checkout', form, 'amount=0.90&reason=Form'),
      await post('/checkout', json, '{'),
      await post('/checkout', { ...json, 'content-length': '4096' }, 'x'.repeat(4096)),
      await app.request('/nowhere'),
      await app.request('/healthz'),
    ]
    expect(answers.map((a) => a.status)).toEqual([200, 303, 400, 413, 404, 200])
    const ids = answers.map((a) => a.headers.get('x-request-id'))
    expect(new Set(ids).size).toBe(answers.length)
    for (const answer of answers) {
      expect(answer.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff')
      expect(answer.headers.get('x-frame-options')).toBe('SAMEORIGIN')
      expect(answer.headers.get('strict-transport-security')).toMatch(/^max-age=/)
      expect(answer.headers.get('referrer-policy')).toBe('no-referrer')
      expect(answer.headers.get('vary')).toBe('Origin')
      expect(answer.headers.get('access-control-allow-origin')).toBeNull()
    }
  })

  it('gives CORS headers to an allowed origin only', async () => {
    const allowed = await post('/checkout', { ...json, origin: SHOP })
    expect(allowed.status).toBe(200)
    expect(allowed.headers.get('access-control-allow-origin')).toBe(SHOP)
    expect(allowed.headers.get('access-control-expose-headers')).toBe('Retry-After, X-Request-Id')
    const refused = await post('/checkout', { ...json, origin: 'https://evil.example' })
    expect(refused.status).toBe(403)
    expect(refused.headers.get('access-control-allow-origin')).toBeNull()
    expect(refused.headers.get('x-request-id')).not.toBeNull()
  })

  it('answers a preflight from an allowed origin with what it may send', async () => {
    const preflight = await app.request('/checkout', {
      method: 'OPTIONS',
      headers: {
        origin: SHOP,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,idempotency-key',
      },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe(SHOP)
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET,POST')
    expect(preflight.headers.get('access-control-allow-headers')).toBe(
      'Content-Type,Idempotency-Key,Authorization'
    )
    expect(preflight.headers.get('access-control-max-age')).toBe('600')
    expect(preflight.headers.get('x-content-type-options')).toBe('nosniff')
  })
})
