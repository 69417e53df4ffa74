import { buildCbuiUrl, type CbuiRequest, FpsClient } from '@fps-checkout/protocol'
import { Harness, newCallerKey, RETURN_URL } from '@fps-checkout/signer/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/**
 * The attacker of docs/security.md against plans and allowances: a caller account of its own on
 * the same sandbox, which runs its own Recurring or MultiUse pipeline under the victim's
 * callerReference and brings the genuine, FPS-signed return to the shop's return page, or has FPS
 * tell the signer that a token of its own was cancelled.
 */
const merchant = newCallerKey()
const attacker = newCallerKey()
let h: Harness

beforeAll(async () => {
  h = await Harness.start({
    signer: {
      ...merchant,
      catalog: {
        items: {
          'streaming-monthly': { price: '4.99', every: '1 Month' },
          'streaming-trial': { price: '4.99', every: '1 Month', trialDays: 14 },
          'song-credits': { allowance: '20.00' },
          'hold-on': { price: '0.99', allowance: 'song-credits' },
        },
      },
    },
    callers: [merchant, { ...attacker, account: 'Mallory Developer' }],
  })
})
afterAll(() => h?.close())

/** The attacker's own pipeline under the victim's callerReference, walked to its genuine return. */
function attackersReturn(request: CbuiRequest): Promise<string> {
  const url = buildCbuiUrl({ endpoint: h.signer.config.cbuiUrl, ...attacker, request })
  return h.authorize(url)
}

/** The victim's checkout of an item, from a browser whose holder cookie is kept. */
async function victimCheckout(item: string, amount: string) {
  const response = await h.request('/checkout', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ amount, reason: 'Victim', item }),
  })
  const json = (await response.json()) as { callerReference: string }
  return { callerReference: json.callerReference, cookie: response.headers.get('set-cookie') }
}

describe('an attacker with a caller account of its own', () => {
  it.each([
    { plan: 'streaming-monthly', started: 'subscription', validity: {} },
    {
      plan: 'streaming-trial',
      started:
        "free trial (the attacker's token valid from the trial's end, as the shop's would be)",
      validity: { validityStart: Math.floor(Date.now() / 1000) + 14 * 86_400 },
    },
  ])(
    "cannot start the victim's $started with a Recurring token of its own",
    async ({ plan, validity }) => {
      const victim = await victimCheckout(plan, '4.99')
      const query = await attackersReturn({
        pipelineName: 'Recurring',
        callerReference: victim.callerReference,
        returnURL: RETURN_URL,
        transactionAmount: '4.99',
        recurringPeriod: '1 Month',
        ...validity,
      })
      const back = await h.returnWith(query)
      expect(back.status).toBe(403)
      expect(back.json.error?.code).toBe('return_not_bound')
      const { json } = await h.orderAsAdmin(victim.callerReference)
      expect(json.order).toMatchObject({ status: 'created' })
      expect(json.order?.subscription).toBeUndefined()
      expect((await h.admin('/subscriptions?limit=500')).json).toEqual({ subscriptions: [] })
      expect(h.pays(victim.callerReference)).toEqual([])
    }
  )

  it("cannot make the victim's allowance usable with a MultiUse token of its own", async () => {
    const victim = await victimCheckout('hold-on', '0.99')
    const query = await attackersReturn({
      pipelineName: 'MultiUse',
      callerReference: victim.callerReference,
      returnURL: RETURN_URL,
      globalAmountLimit: '20.00',
    })
    const back = await h.returnWith(query)
    expect(back.status).toBe(403)
    expect(back.json.error?.code).toBe('return_not_bound')
    // the victim's browser holds no usable allowance: its next song goes to the payment pages
    const again = await h.request('/checkout', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: victim.cookie!.split(';')[0]! },
      body: JSON.stringify({ amount: '0.99', reason: 'Victim', item: 'hold-on' }),
    })
    const next = (await again.json()) as { url: string }
    expect(new URL(next.url).searchParams.get('pipelineName')).toBe('MultiUse')
    expect(h.pays(victim.callerReference)).toEqual([])
  })

  it("cannot end the merchant's subscription by having FPS tell of a token of its own cancelled", async () => {
    const { json } = await h.checkout({
      amount: '4.99',
      reason: 'Victim',
      item: 'streaming-monthly',
    })
    const paid = await h.returnWith(await h.authorize(json.url!))
    expect(paid.json.order?.status).toBe('success')
    const own = await attackersReturn({
      pipelineName: 'Recurring',
      callerReference: `mallory-${json.callerReference}`,
      returnURL: RETURN_URL,
      transactionAmount: '4.99',
      recurringPeriod: '1 Month',
    })
    const tokenId = new URLSearchParams(own).get('tokenID')!
    await h.sandbox.whenIdle()
    const ipns = () => h.logs.filter((line) => line.includes('"path":"/ipn"')).length
    const before = ipns()
    const fps = new FpsClient({ ...attacker, endpoint: `${h.sandboxUrl}/` })
    await fps.cancelToken({ TokenId: tokenId, OverrideIPNURL: `${h.signerUrl}/ipn` })
    await h.sandbox.whenIdle()
    // FPS's genuine TokenCancellation IPN reached the signer, and moved nothing
    expect(ipns()).toBe(before + 1)
    const order = await h.order(json.callerReference!, paid.json.accessToken!)
    expect(order.json.order?.subscription).toMatchObject({ status: 'active' })
    expect(h.logs.some((line) => line.includes(tokenId) && line.includes('error'))).toBe(false)
  })
})
