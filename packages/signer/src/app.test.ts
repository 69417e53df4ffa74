import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { createApp } from './app.js'

const options = {
  accessKeyId: 'AKIAMOUNTED',
  secretKey: 'mounted-secret',
  apiUrl: 'http://127.0.0.1:9/',
  returnUrl: 'https://shop.example/return',
  databaseUrl: 'file::memory:',
  checkoutRateLimit: { limit: 2, windowMs: 60_000 },
  log: () => undefined,
}

describe('createApp', () => {
  it('mounts under a path of the merchant’s own Hono app, middleware and all', async () => {
    const shop = new Hono().get('/', (c) => c.text('shop')).route('/fps', createApp(options))
    expect(await (await shop.request('/fps/healthz')).json()).toEqual({ ok: true })
    const checkout = () =>
      shop.request('/fps/checkout', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ amount: '1.00', reason: 'Mounted' }),
      })
    const first = await checkout()
    expect(first.status).toBe(200)
    expect(((await first.json()) as { url: string }).url).toMatch(
      /^http:\/\/127\.0\.0\.1:9\/cobranded-ui\/actions\/start\?/
    )
    expect((await checkout()).status).toBe(200)
    expect((await checkout()).status).toBe(429)
    const invalid = await shop.request('/fps/return', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })
    expect(await invalid.json()).toEqual({
      error: { code: 'invalid_request', message: 'query: is required' },
    })
    expect(await (await shop.request('/')).text()).toBe('shop')
  })

  it('answers unknown paths with a JSON not_found', async () => {
    const response = await createApp(options).request('/nope')
    expect(response.status).toBe(404)
    expect(await response.json()).toMatchObject({ error: { code: 'not_found' } })
  })
})
