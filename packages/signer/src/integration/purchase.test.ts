import { Harness, RETURN_URL } from '@fps-checkout/signer/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

let h: Harness

beforeAll(async () => {
  h = await Harness.start()
})
afterAll(() => h?.close())

async function startCheckout(amount = '0.90') {
  const { status, json } = await h.checkout({ amount, reason: 'Now and Forever - Richard Marx' })
  expect(status).toBe(200)
  return { url: json.url!, callerReference: json.callerReference! }
}

function pays(callerReference: string) {
  return h.transactions(callerReference).filter((txn) => txn.operation === 'Pay')
}

describe('a purchase', () => {
  it('goes from checkout through the CBUI pages, the return and Pay to success', async () => {
    const { url, callerReference } = await startCheckout()
    expect(new URL(url).searchParams.get('returnURL')).toBe(RETURN_URL)
    const back = await h.returnWith(await h.authorize(url))
    expect(back.status).toBe(200)
    expect(back.json.order).toMatchObject({ callerReference, status: 'success', amount: '0.90' })
    expect(back.json.order?.transactionId).toBe(pays(callerReference)[0]?.id)
    expect(Object.keys(back.json).sort()).toEqual(['accessToken', 'order'])
    expect(pays(callerReference)).toEqual([
      expect.objectContaining({ amount: 90, status: 'Success' }),
    ])
  })

  it('waits for the IPN when a card payment is pending, then shows success with its history', async () => {
    const { url, callerReference } = await startCheckout('12.34')
    const back = await h.returnWith(await h.authorize(url, { method: 'CC' }))
    expect(back.json.order?.status).toBe('pending')
    const order = await h.waitForOrder(
      callerReference,
      back.json.accessToken!,
      (o) => o.status === 'success'
    )
    expect(order.history?.map((line) => line.status)).toEqual([
      'created',
      'pending',
      'pending',
      'success',
    ])
    expect(order.history?.at(-1)?.note).toMatch(/^IPN PAY: Success/)
    expect(pays(callerReference)).toHaveLength(1)
  })

  it("fails at once when FPS refuses the Pay for the buyer's balance, though FPS lists that as retriable: the buyer is told, the merchant gets order.failed, nothing is sent again", async () => {
    // dave has $5.00 in his Amazon Payments balance
    const { url, callerReference } = await startCheckout('6.00')
    const back = await h.returnWith(await h.authorize(url, { buyer: 'dave', method: 'ABT' }))
    expect(back.status).toBe(200)
    expect(back.json.order).toMatchObject({ callerReference, status: 'failure' })
    const { json } = await h.orderAsAdmin(callerReference)
    expect(json.order?.history?.at(-1)?.note).toMatch(/InsufficientBalance/)
    expect(await h.eventTypes(callerReference)).toEqual(['order.failed'])
    expect(await h.signer.sweep()).toMatchObject({ resent: 0, failed: 0 })
    expect(h.transactions(callerReference)).toEqual([])
  })

  it('leaves the order open on an abort, so the buyer may try again; no Pay, no access token', async () => {
    const { url, callerReference } = await startCheckout()
    const query = await h.authorize(url, { cancel: true })
    expect(new URLSearchParams(query).get('status')).toBe('A')
    const back = await h.returnWith(query)
    expect(back.status).toBe(200)
    expect(back.json).toEqual({
      returned: { status: 'A', outcome: 'abandoned', message: expect.any(String) },
    })
    expect((await h.orderAsAdmin(callerReference)).json.order?.status).toBe('created')
    expect(h.transactions(callerReference)).toEqual([])
    const again = await h.returnWith(await h.authorize(url))
    expect(again.json.order).toMatchObject({ callerReference, status: 'success' })
  })

  it('gets no return at all for a CBUI request the browser tampered with: CBUI refuses it, no Pay', async () => {
    const { url, callerReference } = await startCheckout()
    const tampered = new URL(url)
    tampered.searchParams.set('transactionAmount', '0.01')
    const refused = await fetch(tampered, { redirect: 'manual' })
    expect(refused.status).toBe(403)
    expect(refused.headers.get('location')).toBeNull()
    expect(h.transactions(callerReference)).toEqual([])
  })

  it.each(['SE', 'CE', 'PE', 'NP', 'NM'])(
    'leaves the order open on a signed %s return, without a Pay',
    async (code) => {
      const { callerReference } = await startCheckout()
      const query = h.signOutbound('GET', RETURN_URL, {
        status: code,
        callerReference,
        errorMessage: `simulated ${code}`,
      })
      const back = await h.returnWith(query)
      expect(back.status).toBe(200)
      expect(back.json.returned).toMatchObject({ status: code })
      expect(back.json.accessToken).toBeUndefined()
      const { json } = await h.orderAsAdmin(callerReference)
      expect(json.order?.status).toBe('created')
      expect(json.order?.history).toHaveLength(1)
      expect(h.transactions(callerReference)).toEqual([])
    }
  )
})

describe('a return', () => {
  it('is refused, with no Pay, when any parameter or a signature byte changes', async () => {
    const { url, callerReference } = await startCheckout()
    const query = await h.authorize(url)
    const genuine = new URLSearchParams(query)
    const variants: URLSearchParams[] = []
    for (const name of genuine.keys()) {
      const changed = new URLSearchParams(genuine)
      const value = genuine.get(name) ?? ''
      changed.set(name, name === 'signature' ? flipByte(value) : `${value}x`)
      variants.push(changed)
    }
    const extra = new URLSearchParams(genuine)
    extra.set('amount', '0.01')
    variants.push(extra)
    for (const variant of variants) {
      const back = await h.returnWith(variant.toString())
      expect(back.status, variant.toString()).toBeGreaterThanOrEqual(400)
      expect(back.status).toBeLessThan(500)
      expect(['signature_invalid', 'invalid_return']).toContain(back.json.error?.code)
    }
    expect(h.transactions(callerReference)).toEqual([])
    const back = await h.returnWith(query)
    expect(back.json.order?.status).toBe('success')
  })

  it('replayed, even concurrently, answers the stored outcome and pays once', async () => {
    const { url, callerReference } = await startCheckout()
    const query = await h.authorize(url)
    const answers = await Promise.all(Array.from({ length: 5 }, () => h.returnWith(query)))
    for (const answer of answers) expect(answer.json.order?.status).toBe('success')
    const again = await h.returnWith(query)
    expect(again.json.order).toEqual(answers[0]?.json.order)
    expect(pays(callerReference)).toHaveLength(1)
    const tokens = new Set([...answers, again].map((answer) => answer.json.accessToken))
    expect(tokens.size).toBe(1)
    const [token] = tokens
    expect((await h.order(callerReference, token!)).status).toBe(200)
  })

  it('is refused for an order the signer does not know', async () => {
    const query = h.signOutbound('GET', RETURN_URL, {
      status: 'SA',
      tokenID: 'T',
      callerReference: 'ord_unknown',
    })
    expect((await h.returnWith(query)).json.error?.code).toBe('order_not_found')
  })
})

describe('an order look-up', () => {
  it('needs the order’s own access token or the admin token', async () => {
    const first = await startCheckout()
    const second = await startCheckout()
    const a = await h.returnWith(await h.authorize(first.url))
    const b = await h.returnWith(await h.authorize(second.url))
    expect((await h.order(first.callerReference, a.json.accessToken!)).json.order?.status).toBe(
      'success'
    )
    expect((await h.order(first.callerReference, b.json.accessToken!)).json.error?.code).toBe(
      'unauthorized'
    )
    expect((await h.order(first.callerReference, 'nope')).status).toBe(401)
    const plain = await h.request(`/orders/${first.callerReference}`)
    expect(plain.status).toBe(401)
    const admin = await h.order(first.callerReference, 'admin-token-for-tests-0123456789')
    expect(admin.json.order?.history?.length).toBeGreaterThan(1)
    expect(
      (await h.order('ord_missing', 'admin-token-for-tests-0123456789')).json.error?.code
    ).toBe('order_not_found')
  })
})

describe('verification through FPS (VerifySignature)', () => {
  it('accepts a genuine return and refuses a changed one', async () => {
    const asking = await Harness.start({ signer: { verification: 'api' } })
    try {
      const { json } = await asking.checkout({ amount: '0.90', reason: 'Verified by FPS' })
      const query = new URLSearchParams(await asking.authorize(json.url!))
      const changed = new URLSearchParams(query)
      changed.set('expiry', '01/2031')
      expect((await asking.returnWith(changed.toString())).json.error?.code).toBe(
        'signature_invalid'
      )
      expect((await asking.returnWith(query.toString())).json.order?.status).toBe('success')
    } finally {
      await asking.close()
    }
  })
})

function flipByte(base64: string): string {
  const bytes = Buffer.from(base64, 'base64')
  bytes[10] = (bytes[10] ?? 0) ^ 0x01
  return bytes.toString('base64')
}
