import { Harness, testClock } from '@fps-checkout/signer/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

let h: Harness

beforeAll(async () => {
  h = await Harness.start()
})
afterAll(() => h?.close())

async function paid(harness: Harness, amount = '1.00', method: 'ABT' | 'ACH' | 'CC' = 'ABT') {
  const { json } = await harness.checkout({ amount, reason: 'Admin' })
  const back = await harness.returnWith(await harness.authorize(json.url!, { method }))
  return {
    callerReference: json.callerReference!,
    order: back.json.order!,
    accessToken: back.json.accessToken!,
  }
}

describe('the admin API', () => {
  it('needs the admin token', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token-wrong-token', 'Basic admin']) {
      const response = await h.request('/admin/orders', {
        headers: authorization ? { authorization } : {},
      })
      expect(response.status).toBe(401)
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
        'unauthorized'
      )
    }
  })

  it('lists orders by status', async () => {
    const { callerReference } = await paid(h)
    const { json } = await h.admin('/orders?status=success&limit=500')
    expect(json.orders?.map((order) => order.callerReference)).toContain(callerReference)
    expect(json.orders?.every((order) => order.status === 'success')).toBe(true)
    expect((await h.admin('/orders?status=nonsense')).status).toBe(400)
  })

  it('pages through orders newest first by a cursor, each order once, the status filter kept', async () => {
    const created: string[] = []
    for (let n = 0; n < 5; n++) {
      const { json } = await h.checkout({ amount: '1.00', reason: `Page ${n}` })
      created.push(json.callerReference!)
    }
    const seen: string[] = []
    let cursor: string | undefined
    for (let page = 0; page < 10; page++) {
      const { json } = (await h.admin(
        `/orders?status=created&limit=2${cursor ? `&cursor=${cursor}` : ''}`
      )) as { json: { orders?: { callerReference: string; status: string }[]; next?: string } }
      expect(json.orders?.length).toBeLessThanOrEqual(2)
      expect(json.orders?.every((order) => order.status === 'created')).toBe(true)
      seen.push(...(json.orders ?? []).map((order) => order.callerReference))
      cursor = json.next
      if (!cursor) break
    }
    expect(new Set(seen).size).toBe(seen.length)
    // newest first: the five just made lead
    expect(new Set(seen.slice(0, 5))).toEqual(new Set(created))
    const unknown = await h.admin('/orders?cursor=ord_nothing_here')
    expect(unknown.status).toBe(400)
    expect(unknown.json.error?.code).toBe('invalid_request')
  })
})

describe('refunds', () => {
  it('refund in parts, each with its own CallerReference, never more than was paid', async () => {
    const { callerReference } = await paid(h, '1.00')
    const first = await h.admin(`/orders/${callerReference}/refund`, { amount: '0.30' })
    expect(first.json.order).toMatchObject({ status: 'refunded', refundedAmount: '0.30' })
    expect(
      (await h.admin(`/orders/${callerReference}/refund`, { amount: '0.30' })).json.order
        ?.refundedAmount
    ).toBe('0.60')
    const over = await h.admin(`/orders/${callerReference}/refund`, { amount: '0.50' })
    expect(over.status).toBe(422)
    expect(over.json.error).toMatchObject({
      code: 'amount_out_of_bounds',
      message: expect.stringContaining('0.40'),
    })
    const rest = await h.request(`/admin/orders/${callerReference}/refund`, {
      method: 'POST',
      headers: { authorization: 'Bearer admin-token-for-tests-0123456789' },
    })
    expect(
      ((await rest.json()) as { order: { refundedAmount: string } }).order.refundedAmount
    ).toBe('1.00')
    expect((await h.admin(`/orders/${callerReference}/refund`, {})).status).toBe(422)
    const refunds = h.transactions(callerReference).filter((txn) => txn.operation === 'Refund')
    expect(refunds.map((txn) => txn.amount)).toEqual([30, 30, 40])
    expect(new Set(refunds.map((txn) => txn.callerReference)).size).toBe(3)
  })

  it('racing each other, refund at most the payment', async () => {
    const { callerReference } = await paid(h, '1.00')
    const answers = await Promise.all(
      [1, 2, 3].map(() => h.admin(`/orders/${callerReference}/refund`, { amount: '0.60' }))
    )
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 422, 422])
    expect(
      h.transactions(callerReference).filter((txn) => txn.operation === 'Refund')
    ).toHaveLength(1)
  })

  it('do not apply to an order that was not paid', async () => {
    const { json } = await h.checkout({ amount: '1.00', reason: 'Unpaid' })
    const answer = await h.admin(`/orders/${json.callerReference}/refund`, {})
    expect(answer.status).toBe(409)
    expect(answer.json.error?.code).toBe('invalid_order_state')
    expect((await h.admin('/orders/ord_missing/refund', {})).json.error?.code).toBe(
      'order_not_found'
    )
    expect((await h.admin(`/orders/${json.callerReference}/refund`, { amount: 1 })).status).toBe(
      400
    )
  })
})

describe('cancel', () => {
  it('cancels an order the buyer has not authorized, without FPS', async () => {
    const { json } = await h.checkout({ amount: '1.00', reason: 'Cancel me' })
    const answer = await h.admin(`/orders/${json.callerReference}/cancel`, {})
    expect(answer.json.order?.status).toBe('cancelled')
    expect((await h.admin(`/orders/${json.callerReference}/cancel`, {})).status).toBe(409)
  })

  it('refuses a paid order (refund it instead)', async () => {
    const { callerReference } = await paid(h)
    expect((await h.admin(`/orders/${callerReference}/cancel`, {})).json.error?.code).toBe(
      'invalid_order_state'
    )
  })
})

describe('reserve, then settle on shipment', () => {
  /** FPS's clock: a reservation lapses when the test moves it on, not while the test waits. */
  const fps = testClock()
  const expiryMs = 10 * 60_000
  let reserving: Harness
  beforeAll(async () => {
    reserving = await Harness.start({
      signer: { capture: 'reserve' },
      sandbox: { reserveExpiryMs: expiryMs, now: fps.now },
    })
  })
  afterAll(() => reserving?.close())

  it('reserves at the return and charges on settle, once', async () => {
    const { json } = await reserving.checkout({ amount: '5.00', reason: 'Ships later' })
    expect(new URL(json.url!).searchParams.get('reserve')).toBe('True')
    const back = await reserving.returnWith(await reserving.authorize(json.url!))
    expect(back.json.order?.status).toBe('reserved')
    const settled = await reserving.admin(`/orders/${json.callerReference}/settle`, {})
    expect(settled.json.order?.status).toBe('success')
    expect((await reserving.admin(`/orders/${json.callerReference}/settle`, {})).status).toBe(409)
    const operations = reserving.transactions(json.callerReference!).map((txn) => txn.operation)
    expect(operations.sort()).toEqual(['Reserve', 'Settle'])
    const refund = await reserving.admin(`/orders/${json.callerReference}/refund`, {
      amount: '1.00',
    })
    expect(refund.json.order).toMatchObject({ status: 'refunded', refundedAmount: '1.00' })
  })

  it('expires a reservation FPS lets lapse unsettled', async () => {
    const { json } = await reserving.checkout({ amount: '6.00', reason: 'Never settled' })
    const back = await reserving.returnWith(await reserving.authorize(json.url!))
    expect(back.json.order?.status).toBe('reserved')
    fps.advance(expiryMs)
    // the sandbox's background run, which also expires what is due by its clock
    reserving.sandbox.completePending()
    const order = await reserving.waitForOrder(
      json.callerReference!,
      back.json.accessToken!,
      (o) => o.status !== 'reserved'
    )
    expect(order.status).toBe('expired')
    expect(order.history?.at(-1)?.note).toMatch(/^IPN RESERVE: Expired/)
  })

  it('cancels a reservation at FPS', async () => {
    const { json } = await reserving.checkout({ amount: '5.00', reason: 'Never shipped' })
    await reserving.returnWith(await reserving.authorize(json.url!))
    const cancelled = await reserving.admin(`/orders/${json.callerReference}/cancel`, {})
    expect(cancelled.json.order?.status).toBe('cancelled')
    expect(reserving.transactions(json.callerReference!)).toEqual([
      expect.objectContaining({ operation: 'Reserve', status: 'Cancelled' }),
    ])
    expect((await reserving.admin(`/orders/${json.callerReference}/settle`, {})).status).toBe(409)
  })
})

describe('IPN', () => {
  let deaf: Harness
  beforeAll(async () => {
    deaf = await Harness.start({ signer: { ipnUrl: 'http://127.0.0.1:9/ipn' } })
  })
  afterAll(() => deaf?.close())

  const ipn = (harness: Harness, params: Record<string, string>) =>
    harness.signOutbound('POST', 'http://127.0.0.1:9/ipn', {
      notificationType: 'TransactionStatus',
      operation: 'PAY',
      transactionAmount: 'USD 9.00',
      paymentMethod: 'CC',
      ...params,
    })

  it('applies each notification once and never moves an order backwards', async () => {
    const { callerReference, order, accessToken } = await paid(deaf, '9.00', 'CC')
    expect(order.status).toBe('pending')
    const transactionId = order.transactionId!
    const success = ipn(deaf, {
      transactionId,
      callerReference,
      transactionStatus: 'SUCCESS',
      statusCode: 'Success',
      transactionDate: '2000000002',
    })
    const pending = ipn(deaf, {
      transactionId,
      callerReference,
      transactionStatus: 'PENDING',
      statusCode: 'PendingNetworkResponse',
      transactionDate: '2000000001',
    })
    const failure = ipn(deaf, {
      transactionId,
      callerReference,
      transactionStatus: 'FAILURE',
      statusCode: 'Failure',
      transactionDate: '2000000003',
    })
    expect((await deaf.postIpn(success)).json).toMatchObject({ ok: true, result: 'applied' })
    expect((await deaf.postIpn(success)).json).toMatchObject({ ok: true, result: 'duplicate' })
    expect((await deaf.postIpn(pending)).json.result).toBe('applied')
    expect((await deaf.postIpn(failure)).json.result).toBe('applied')
    const { json } = await deaf.order(callerReference, accessToken)
    expect(json.order?.status).toBe('success')
    expect(json.order?.history?.map((line) => line.status)).toEqual([
      'created',
      'pending',
      'pending',
      'success',
    ])
  })

  it('answers concurrent copies of one notification once', async () => {
    const { callerReference, order } = await paid(deaf, '9.00', 'CC')
    const body = ipn(deaf, {
      transactionId: order.transactionId!,
      callerReference,
      transactionStatus: 'SUCCESS',
    })
    const results = await Promise.all([1, 2, 3, 4].map(() => deaf.postIpn(body)))
    expect(results.map((r) => r.json.result).sort()).toEqual([
      'applied',
      'duplicate',
      'duplicate',
      'duplicate',
    ])
  })

  it('refuses a tampered notification and ignores one about nothing it knows', async () => {
    const { callerReference, order, accessToken } = await paid(deaf, '9.00', 'CC')
    const body = new URLSearchParams(
      ipn(deaf, {
        transactionId: order.transactionId!,
        callerReference,
        transactionStatus: 'FAILURE',
      })
    )
    body.set('transactionStatus', 'SUCCESS')
    const tampered = await deaf.postIpn(body.toString())
    expect(tampered.status).toBe(403)
    expect(tampered.json.error?.code).toBe('signature_invalid')
    const unknown = await deaf.postIpn(
      ipn(deaf, {
        transactionId: 'T-UNKNOWN',
        callerReference: 'ord_unknown',
        transactionStatus: 'SUCCESS',
      })
    )
    expect(unknown.json).toMatchObject({ ok: true, result: 'ignored' })
    expect((await deaf.order(callerReference, accessToken)).json.order?.status).toBe('pending')
  })

  it('missed, are made up for by an admin refresh (GetTransactionStatus)', async () => {
    const { callerReference, order } = await paid(deaf, '9.00', 'CC')
    expect(order.status).toBe('pending')
    await deaf.sandbox.whenIdle()
    const refreshed = await deaf.admin(`/orders/${callerReference}/refresh`, {})
    expect(refreshed.json.order?.status).toBe('success')
  })

  it('from the sandbox itself move a card payment to success', async () => {
    const { callerReference, order, accessToken } = await paid(h, '8.00', 'CC')
    expect(order.status).toBe('pending')
    await h.waitForOrder(callerReference, accessToken, (o) => o.status === 'success')
  })
})
