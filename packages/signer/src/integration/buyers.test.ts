import type { OrderView, RefundRequestView } from '@fps-checkout/signer/http'
import { ADMIN_TOKEN, Harness, testClock } from '@fps-checkout/signer/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

let h: Harness
let reserving: Harness

beforeAll(async () => {
  ;[h, reserving] = await Promise.all([
    Harness.start(),
    Harness.start({ signer: { capture: 'reserve' } }),
  ])
})
afterAll(() => Promise.all([h?.close(), reserving?.close()]))

interface Answer {
  order?: OrderView
  refundRequest?: RefundRequestView
  refundRequests?: RefundRequestView[]
  error?: { code: string; message: string }
}

/** A buyer's (or, with the admin token, the merchant's) POST with a bearer token. */
async function post(harness: Harness, path: string, token: string, body?: unknown) {
  const response = await harness.request(path, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  return { status: response.status, json: (await response.json()) as Answer }
}

async function get(harness: Harness, path: string, token: string) {
  const response = await harness.request(path, { headers: { authorization: `Bearer ${token}` } })
  return { status: response.status, json: (await response.json()) as Answer }
}

/** A checkout as the buy button starts it: the order and its access token. */
async function started(harness: Harness, amount = '1.00') {
  const { json } = await harness.checkout({ amount, reason: 'Self-service' })
  expect(json.accessToken).toEqual(expect.any(String))
  return { callerReference: json.callerReference!, url: json.url!, token: json.accessToken! }
}

/** A purchase the buyer has come back from: the order and the token the return answered. */
async function bought(harness: Harness, amount = '1.00') {
  const { callerReference, url, token } = await started(harness, amount)
  const back = await harness.returnWith(await harness.authorize(url))
  expect(back.json.accessToken).toBe(token)
  return { callerReference, token, order: back.json.order! }
}

describe('a buyer cancels', () => {
  it('a checkout not paid yet, here, with the token the checkout answered', async () => {
    const { callerReference, token } = await started(h)
    const seen = await get(h, `/orders/${callerReference}`, token)
    expect(seen.json.order).toMatchObject({ status: 'created' })
    const cancelled = await post(h, `/orders/${callerReference}/cancel`, token)
    expect(cancelled).toMatchObject({ status: 200, json: { order: { status: 'cancelled' } } })
    const again = await post(h, `/orders/${callerReference}/cancel`, token)
    expect(again).toMatchObject({ status: 409, json: { error: { code: 'invalid_order_state' } } })
    const { json } = await get(h, `/orders/${callerReference}`, token)
    expect(json.order?.history?.at(-1)).toMatchObject({
      status: 'cancelled',
      note: 'Cancelled by the buyer before authorizing.',
    })
    expect(h.transactions(callerReference)).toEqual([])
  })

  it('a reservation not settled yet, at FPS, once', async () => {
    const { callerReference, token, order } = await bought(reserving, '5.00')
    expect(order.status).toBe('reserved')
    const cancelled = await post(reserving, `/orders/${callerReference}/cancel`, token)
    expect(cancelled).toMatchObject({ status: 200, json: { order: { status: 'cancelled' } } })
    expect(reserving.transactions(callerReference)).toEqual([
      expect.objectContaining({ operation: 'Reserve', status: 'Cancelled' }),
    ])
    expect((await post(reserving, `/orders/${callerReference}/cancel`, token)).status).toBe(409)
  })

  it('nothing paid, nor with a token that is not the order’s; nothing changes', async () => {
    const paid = await bought(h)
    const refused = await post(h, `/orders/${paid.callerReference}/cancel`, paid.token)
    expect(refused).toMatchObject({
      status: 409,
      json: {
        error: {
          code: 'invalid_order_state',
          message: 'An order that is success cannot be cancelled.',
        },
      },
    })
    const other = await started(h)
    for (const token of [paid.token, 'not-a-token']) {
      const answer = await post(h, `/orders/${other.callerReference}/cancel`, token)
      expect(answer).toMatchObject({ status: 401, json: { error: { code: 'unauthorized' } } })
    }
    const unauthenticated = await h.request(`/orders/${other.callerReference}/cancel`, {
      method: 'POST',
    })
    expect(unauthenticated.status).toBe(401)
    expect((await get(h, `/orders/${other.callerReference}`, other.token)).json.order?.status).toBe(
      'created'
    )
    expect((await get(h, `/orders/${paid.callerReference}`, paid.token)).json.order?.status).toBe(
      'success'
    )
  })
})

describe('a buyer asks for a refund', () => {
  it('once per order; the merchant declines it with a word, and nothing is refunded', async () => {
    const { callerReference, token } = await bought(h, '2.00')
    const asked = await post(h, `/orders/${callerReference}/refund-requests`, token, {
      reason: 'Wrong song',
    })
    expect(asked.status).toBe(201)
    expect(asked.json.refundRequest).toMatchObject({
      callerReference,
      amount: '2.00',
      currencyCode: 'USD',
      status: 'open',
      reason: 'Wrong song',
    })
    const id = asked.json.refundRequest!.id
    const duplicate = await post(h, `/orders/${callerReference}/refund-requests`, token)
    expect(duplicate).toMatchObject({
      status: 409,
      json: { error: { code: 'refund_already_requested' } },
    })
    const { json } = await get(h, `/orders/${callerReference}`, token)
    expect(json.order?.refundRequest).toMatchObject({ id, status: 'open' })
    const open = await get(h, '/admin/refund-requests?status=open', ADMIN_TOKEN)
    expect(open.json.refundRequests?.map((request) => request.id)).toContain(id)

    const declined = await post(h, `/admin/refund-requests/${id}/decline`, ADMIN_TOKEN, {
      note: 'The download was used.',
    })
    expect(declined.json.refundRequest).toMatchObject({
      status: 'declined',
      decidedBy: 'merchant',
      note: 'The download was used.',
      decidedAt: expect.any(String),
    })
    expect((await post(h, `/admin/refund-requests/${id}/decline`, ADMIN_TOKEN)).status).toBe(200)
    const late = await post(h, `/admin/refund-requests/${id}/approve`, ADMIN_TOKEN)
    expect(late).toMatchObject({ status: 409, json: { error: { code: 'refund_request_decided' } } })
    expect(h.transactions(callerReference).map((txn) => txn.operation)).toEqual(['Pay'])
    const seen = await get(h, `/orders/${callerReference}`, token)
    expect(seen.json.order).toMatchObject({
      status: 'success',
      refundRequest: { status: 'declined' },
    })
  })

  it('the merchant approves it, and the rest of the payment is refunded once, however often approved', async () => {
    const { callerReference, token } = await bought(h, '3.00')
    await h.admin(`/orders/${callerReference}/refund`, { amount: '1.00' })
    const asked = await post(h, `/orders/${callerReference}/refund-requests`, token, {})
    expect(asked.json.refundRequest).toMatchObject({ amount: '2.00', status: 'open' })
    const id = asked.json.refundRequest!.id
    const approvals = await Promise.all(
      [1, 2, 3].map(() => post(h, `/admin/refund-requests/${id}/approve`, ADMIN_TOKEN))
    )
    expect(approvals.map(({ status }) => status)).toEqual([200, 200, 200])
    expect(approvals[0]?.json.refundRequest).toMatchObject({
      status: 'approved',
      decidedBy: 'merchant',
    })
    const refunds = h.transactions(callerReference).filter((txn) => txn.operation === 'Refund')
    expect(refunds.map((txn) => txn.amount).sort()).toEqual([100, 200])
    const { json } = await get(h, `/orders/${callerReference}`, token)
    expect(json.order).toMatchObject({ status: 'refunded', refundedAmount: '3.00' })
    const declined = await post(h, `/admin/refund-requests/${id}/decline`, ADMIN_TOKEN)
    expect(declined.json.error?.code).toBe('refund_request_decided')
  })

  it('stays open when the refund cannot be made, for the merchant to decide again', async () => {
    const { callerReference, token } = await bought(h, '1.00')
    const asked = await post(h, `/orders/${callerReference}/refund-requests`, token)
    const id = asked.json.refundRequest!.id
    await h.admin(`/orders/${callerReference}/refund`, { amount: '0.50' })
    const approve = await post(h, `/admin/refund-requests/${id}/approve`, ADMIN_TOKEN)
    expect(approve).toMatchObject({
      status: 422,
      json: { error: { code: 'amount_out_of_bounds' } },
    })
    const { json } = await get(h, `/orders/${callerReference}`, token)
    expect(json.order).toMatchObject({
      refundedAmount: '0.50',
      refundRequest: { status: 'open' },
    })
    expect(json.order?.refundRequest?.decidedAt).toBeUndefined()
  })

  it('is refused for an order not paid, and for a refund request that does not exist', async () => {
    const { callerReference, token } = await started(h)
    const unpaid = await post(h, `/orders/${callerReference}/refund-requests`, token)
    expect(unpaid).toMatchObject({ status: 409, json: { error: { code: 'invalid_order_state' } } })
    const bad = await post(h, `/orders/${callerReference}/refund-requests`, token, { amount: '1' })
    expect(bad.json.error?.code).toBe('invalid_request')
    const missing = await post(h, '/admin/refund-requests/rfr_missing/approve', ADMIN_TOKEN)
    expect(missing).toMatchObject({
      status: 404,
      json: { error: { code: 'refund_request_not_found' } },
    })
    expect((await get(h, '/admin/refund-requests?status=closed', ADMIN_TOKEN)).status).toBe(400)
    expect((await get(h, '/admin/refund-requests', token)).status).toBe(401)
  })
})

describe('the refund window', () => {
  const clock = testClock()
  let windowed: Harness
  beforeAll(async () => {
    windowed = await Harness.start({
      signer: { refundWindowDays: 2, now: clock.now },
      sandbox: { now: clock.now },
    })
  })
  afterAll(() => windowed?.close())

  it('approves a request within N days of the payment by itself, for the amount left', async () => {
    const { callerReference, token } = await bought(windowed, '4.00')
    clock.advance(47 * 60 * 60_000)
    const asked = await post(windowed, `/orders/${callerReference}/refund-requests`, token)
    expect(asked).toMatchObject({
      status: 201,
      json: { refundRequest: { status: 'approved', decidedBy: 'policy', amount: '4.00' } },
    })
    const { json } = await get(windowed, `/orders/${callerReference}`, token)
    expect(json.order).toMatchObject({ status: 'refunded', refundedAmount: '4.00' })
  })

  it('leaves a later request to the merchant', async () => {
    const { callerReference, token } = await bought(windowed, '4.00')
    clock.advance(49 * 60 * 60_000)
    const asked = await post(windowed, `/orders/${callerReference}/refund-requests`, token)
    expect(asked.json.refundRequest).toMatchObject({ status: 'open' })
    expect(windowed.transactions(callerReference).map((txn) => txn.operation)).toEqual(['Pay'])
  })
})
