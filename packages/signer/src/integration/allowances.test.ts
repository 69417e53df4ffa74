import { randomBytes } from 'node:crypto'
import type { AllowanceView, CheckoutResponse } from '@fps-checkout/signer/http'
import { Harness, RETURN_URL } from '@fps-checkout/signer/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

let h: Harness

beforeAll(async () => {
  h = await Harness.start({
    signer: {
      catalog: {
        items: {
          'song-credits': { allowance: '2.00' },
          'hold-on': { price: '0.99', allowance: 'song-credits' },
          wonderful: { price: '0.50', allowance: 'song-credits' },
          'daily-credits': { allowance: '10.00', perPeriod: { count: 2, every: '1 Day' } },
          tune: { price: '1.00', allowance: 'daily-credits' },
        },
      },
    },
  })
})
afterAll(() => h?.close())

/** A browser: the holder cookie it was given, if any, sent back with each request. */
interface Browser {
  cookie?: string
}

const PRICES: Record<string, string> = { 'hold-on': '0.99', wonderful: '0.50', tune: '1.00' }

/** Clicks a buy button: `POST /checkout` for the item, keeping the cookie the signer sets. */
async function buy(browser: Browser, item: string, idempotencyKey?: string) {
  const response = await h.request('/checkout', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(browser.cookie ? { cookie: browser.cookie } : {}),
      ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
    },
    body: JSON.stringify({ amount: PRICES[item], reason: `Song ${item}`, item }),
  })
  const set = response.headers.get('set-cookie')
  if (set) browser.cookie = set.split(';')[0] ?? set
  expect(response.status).toBe(200)
  return { answer: (await response.json()) as CheckoutResponse, setCookie: set }
}

/** Whether the answer sends the buyer to the payment pages (not straight to the return page). */
const toPaymentPages = (answer: CheckoutResponse) => !answer.url.startsWith(RETURN_URL)

/** The Pay transactions the sandbox made with a token. */
function paysWith(tokenId: string) {
  return [...h.sandbox.state.transactions.values()].filter(
    (txn) => txn.operation === 'Pay' && txn.senderTokenId === tokenId
  )
}

async function allowances(browser: Browser): Promise<AllowanceView[]> {
  const response = await h.request('/allowances', {
    headers: browser.cookie ? { cookie: browser.cookie } : {},
  })
  return ((await response.json()) as { allowances: AllowanceView[] }).allowances
}

/** Authorizes the allowance the answer's payment pages ask for; answers the return's order. */
async function authorize(answer: CheckoutResponse) {
  const url = new URL(answer.url)
  expect(url.searchParams.get('pipelineName')).toBe('MultiUse')
  const query = await h.authorize(answer.url)
  const back = await h.returnWith(query)
  expect(back.json.order?.status).toBe('success')
  const token = [...h.sandbox.state.tokens.values()].find(
    (candidate) => candidate.callerReference === answer.callerReference
  )
  return { query, tokenId: token!.id }
}

describe('an allowance', () => {
  const alice: Browser = {}
  let tokenId = ''
  let aliceReturn = ''

  it('is authorized once, on the first purchase, with a MultiUse pipeline up to its limit; the browser gets an HttpOnly, SameSite=Strict holder cookie, Secure as the shop is on https', async () => {
    const { answer, setCookie } = await buy(alice, 'hold-on')
    // the signer is spoken to over http here, as behind a proxy that ends TLS
    expect(setCookie).toMatch(
      /^fps_holder=[A-Za-z0-9_-]{43}; Max-Age=\d+; Path=\/; HttpOnly; Secure; SameSite=Strict$/
    )
    expect(toPaymentPages(answer)).toBe(true)
    expect(new URL(answer.url).searchParams.get('globalAmountLimit')).toBe('2.00')
    ;({ tokenId, query: aliceReturn } = await authorize(answer))
    expect(paysWith(tokenId).map((txn) => txn.amount)).toEqual([99])
  })

  it('then buys in one click: the order is charged with the token and the buyer goes straight to the return page', async () => {
    const { answer, setCookie } = await buy(alice, 'wonderful', 'click-1')
    expect(setCookie).toBeNull()
    expect(answer.url).toBe(`${RETURN_URL}?callerReference=${answer.callerReference}`)
    const { json } = await h.order(answer.callerReference, answer.accessToken)
    expect(json.order).toMatchObject({ status: 'success', amount: '0.50', item: 'wonderful' })
    // a double click answers the same order and charges nothing more
    const again = await buy(alice, 'wonderful', 'click-1')
    expect(again.answer.callerReference).toBe(answer.callerReference)
    expect(paysWith(tokenId).map((txn) => txn.amount)).toEqual([99, 50])
    expect(await allowances(alice)).toEqual([
      expect.objectContaining({
        status: 'active',
        limit: '2.00',
        spent: '1.49',
        remaining: '0.51',
      }),
    ])
  })

  it('sends the buyer to authorize again once a purchase would pass its limit', async () => {
    const { answer } = await buy(alice, 'hold-on')
    expect(toPaymentPages(answer)).toBe(true)
    expect(paysWith(tokenId)).toHaveLength(2)
    expect((await allowances(alice))[0]).toMatchObject({ status: 'spent', remaining: '0.51' })
  })

  it('is never charged by another buyer: no cookie, a forged one, or a replayed return of its authorization', async () => {
    const before = paysWith(tokenId).length
    const mallory: Browser = {}
    const replayed = await h.request('/return', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: aliceReturn }),
    })
    expect(replayed.status).toBe(200)
    expect(replayed.headers.get('set-cookie')).toBeNull()
    expect(toPaymentPages((await buy(mallory, 'wonderful')).answer)).toBe(true)
    const forger: Browser = { cookie: `fps_holder=${randomBytes(32).toString('base64url')}` }
    expect(toPaymentPages((await buy(forger, 'wonderful')).answer)).toBe(true)
    expect(await allowances(forger)).toEqual([])
    expect(paysWith(tokenId)).toHaveLength(before)
  })

  it('can be revoked by its buyer: its token is cancelled at FPS, and the next purchase authorizes anew', async () => {
    const bob: Browser = {}
    const first = await buy(bob, 'tune')
    const { tokenId: bobs } = await authorize(first.answer)
    const [held] = await allowances(bob)
    const revoked = await h.request(`/allowances/${held!.id}/revoke`, {
      method: 'POST',
      headers: { cookie: bob.cookie! },
    })
    expect(revoked.status).toBe(200)
    expect(h.sandbox.state.tokens.get(bobs)?.status).toBe('Inactive')
    expect(toPaymentPages((await buy(bob, 'tune')).answer)).toBe(true)
    expect(paysWith(bobs)).toHaveLength(1)
    // another browser cannot revoke it, nor learn that it exists
    const stranger = await h.request(`/allowances/${held!.id}/revoke`, {
      method: 'POST',
      headers: { cookie: `fps_holder=${randomBytes(32).toString('base64url')}` },
    })
    expect(stranger.status).toBe(404)
  })

  it('respects its limit per period: past it, FPS refuses and the buyer authorizes anew', async () => {
    const carol: Browser = {}
    const { tokenId: carols } = await authorize((await buy(carol, 'tune')).answer)
    expect((await allowances(carol))[0]?.leftThisPeriod).toEqual({ count: 1 })
    const second = await buy(carol, 'tune')
    expect(toPaymentPages(second.answer)).toBe(false)
    expect((await allowances(carol))[0]?.leftThisPeriod).toEqual({ count: 0 })
    const third = await buy(carol, 'tune')
    expect(toPaymentPages(third.answer)).toBe(true)
    expect(paysWith(carols).filter((txn) => txn.status === 'Success')).toHaveLength(2)
  })

  it('sets its holder cookie without Secure for a shop on plain http (a local one), where a browser would drop a Secure one', async () => {
    await h.restartSigner({ returnUrl: 'http://localhost:5173/return' })
    try {
      const { setCookie } = await buy({}, 'hold-on')
      expect(setCookie).toMatch(
        /^fps_holder=[A-Za-z0-9_-]{43}; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Strict$/
      )
    } finally {
      await h.restartSigner({ returnUrl: RETURN_URL })
    }
  })
})
