import { type Answer, Harness, RETURN_URL } from '@fps-checkout/signer/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase } from '../../test/postgres.js'
import { createSigner, type Signer } from '../app.js'

let h: Harness
let second: Signer
let payRequests = 0

/** Counts the Pay requests that leave either signer, whatever answers them. */
const countingFetch: typeof fetch = async (input, init) => {
  if (typeof init?.body === 'string' && /(^|&)Action=Pay(&|$)/.test(init.body)) payRequests += 1
  return fetch(input, init)
}

beforeAll(async () => {
  const databaseUrl = await createTestDatabase()
  h = await Harness.start({ signer: { databaseUrl, fetch: countingFetch } })
  second = createSigner({
    ...h.key,
    apiUrl: `${h.sandboxUrl}/`,
    returnUrl: RETURN_URL,
    databaseUrl,
    fetch: countingFetch,
    log: () => undefined,
  })
  await second.ready
})

afterAll(async () => {
  await second?.close()
  await h?.close()
})

describe('two signers sharing one PostgreSQL', () => {
  it('given the same return concurrently, send one Pay and agree on the outcome', async () => {
    for (let round = 0; round < 3; round++) {
      const { json } = await h.checkout({ amount: '4.20', reason: `Race ${round}` })
      const query = await h.authorize(json.url!)
      payRequests = 0
      const viaSecond = async () => {
        const response = await second.app.request('/return', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query }),
        })
        return { status: response.status, json: (await response.json()) as Answer }
      }
      const answers = await Promise.all([
        h.returnWith(query),
        viaSecond(),
        h.returnWith(query),
        viaSecond(),
      ])
      for (const answer of answers) {
        expect(answer.status).toBe(200)
        expect(answer.json.order?.status).toBe('success')
      }
      expect(payRequests).toBe(1)
      expect(
        h.transactions(json.callerReference!).filter((t) => t.operation === 'Pay')
      ).toHaveLength(1)
    }
  })

  it('see each other’s orders, and neither can reuse an Idempotency-Key the other took', async () => {
    const body = JSON.stringify({ amount: '1.00', reason: 'Shared key' })
    const headers = {
      'content-type': 'application/json',
      'idempotency-key': `shared-${Date.now()}`,
    }
    const [a, b] = await Promise.all([
      h.request('/checkout', { method: 'POST', headers, body }).then((r) => r.json()),
      Promise.resolve(second.app.request('/checkout', { method: 'POST', headers, body })).then(
        (r) => r.json()
      ),
    ])
    expect(a).toEqual(b)
  })
})
