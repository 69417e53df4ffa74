import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Harness, newCallerKey, RETURN_URL } from '@fps-checkout/signer/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSigner } from '../app.js'

const previous = newCallerKey()
let h: Harness
const seen: string[] = []

/** Fetches through the signer and keeps everything it answered: status line, headers, body. */
async function record(path: string, init: RequestInit = {}): Promise<Response> {
  const response = await h.request(path, init)
  const body = await response.clone().text()
  seen.push(
    `${response.status} ${[...response.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}\n${body}`
  )
  return response
}

beforeAll(async () => {
  h = await Harness.start({
    signer: {
      previousAccessKeyId: previous.accessKeyId,
      previousSecretKey: previous.secretKey,
    },
  })
})
afterAll(() => h?.close())

const json = { 'content-type': 'application/json' }

describe('the secret key', () => {
  it('appears in no response, log line, error or stored row, whatever happens', async () => {
    const { secretKey } = h.key
    const checkout = await record('/checkout', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ amount: '0.90', reason: 'Secret' }),
    })
    const { url, callerReference } = (await checkout.json()) as {
      url: string
      callerReference: string
    }
    const query = await h.authorize(url)
    const returned = await record('/return', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ query }),
    })
    const { accessToken } = (await returned.json()) as { accessToken: string }
    await record('/return', { method: 'POST', headers: json, body: JSON.stringify({ query }) })
    await record('/return', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ query: `${query}x` }),
    })
    await record(`/orders/${callerReference}`, {
      headers: { authorization: `Bearer ${accessToken}` },
    })
    await record(`/admin/orders/${callerReference}/refund`, {
      method: 'POST',
      headers: { ...json, authorization: 'Bearer admin-token-for-tests-0123456789' },
      body: JSON.stringify({ amount: '0.10' }),
    })
    await record('/checkout', { method: 'POST', headers: json, body: '{"amount":' })
    await record('/checkout', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ amount: '1', reason: 'x', secretKey }),
    })
    await record('/ipn', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    })
    await record('/nowhere')

    const wrongKey = { ...h.key, secretKey: `${secretKey}-wrong` }
    await h.restartSigner({ secretKey: wrongKey.secretKey })
    const refused = await record(`/admin/orders/${callerReference}/refund`, {
      method: 'POST',
      headers: { ...json, authorization: 'Bearer admin-token-for-tests-0123456789' },
      body: JSON.stringify({ amount: '0.10' }),
    })
    expect(refused.status).toBe(502)

    const errors: string[] = []
    for (const bad of [{ returnUrl: 'not a url' }, { target: 'nope' }, { accessKeyId: '' }]) {
      try {
        createSigner({ accessKeyId: 'AKID', secretKey, returnUrl: RETURN_URL, ...bad } as never)
      } catch (error) {
        errors.push(String(error), (error as Error).stack ?? '')
      }
    }
    expect(errors.length).toBe(6)

    const database = readdirSync(h.dir)
      .map((file) => readFileSync(join(h.dir, file)).toString('latin1'))
      .join('\n')
    const everything = [...seen, ...h.logs, ...errors, database].join('\n')
    expect(seen.length).toBeGreaterThan(10)
    expect(h.logs.length).toBeGreaterThan(10)
    expect(everything).toContain(h.key.accessKeyId)
    for (const line of h.logs) expect(JSON.parse(line)).toHaveProperty('requestId')
    for (const secret of [secretKey, wrongKey.secretKey, previous.secretKey]) {
      expect(everything).not.toContain(secret)
      expect(everything).not.toContain(encodeURIComponent(secret))
    }
  })
})
