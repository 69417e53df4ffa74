import { fileURLToPath } from 'node:url'
import { buildCbuiUrl, FpsClient } from '@fps-checkout/protocol'
import type { Disagreement } from '@fps-checkout/signer'
import { Harness, RETURN_URL, walkPaymentPages } from '@fps-checkout/signer/testing'
import Database from 'libsql'
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

/** A purchase through the signer, as a buyer makes it; answers once the order is settled. */
async function bought(harness: Harness, amount: string, method: 'ABT' | 'CC' = 'ABT') {
  const { json } = await harness.checkout({ amount, reason: 'Ledger' })
  const back = await harness.returnWith(await harness.authorize(json.url!, { method }))
  const order = await harness.waitForOrder(
    json.callerReference!,
    back.json.accessToken!,
    (order) => order.status !== 'pending'
  )
  return order
}

/** Runs SQL on the harness's database, as someone with access to it would. */
function plant(harness: Harness, statement: string, ...args: (string | number)[]) {
  const url = harness.signerOptions.databaseUrl!
  const db = new Database(fileURLToPath(url.replace(/^file:/, 'file://')), { timeout: 5_000 })
  try {
    db.prepare(statement).run(...args)
  } finally {
    db.close()
  }
}

/** An FPS client under the merchant's own key, as a script beside the signer would hold it. */
function merchantClient(harness: Harness): FpsClient {
  return new FpsClient({ ...harness.key, endpoint: `${harness.sandboxUrl}/` })
}

/** A charge made at FPS under the merchant's key, with no order behind it. */
async function chargeWithoutOrder(harness: Harness, callerReference: string, amount: string) {
  const url = buildCbuiUrl({
    endpoint: harness.signer.config.cbuiUrl,
    ...harness.key,
    request: {
      pipelineName: 'SingleUse',
      callerReference,
      returnURL: RETURN_URL,
      transactionAmount: amount,
      paymentReason: 'Off the books',
    },
  })
  const back = await walkPaymentPages(url, { email: 'alice@buyer.example' })
  return merchantClient(harness).pay({
    SenderTokenId: back.searchParams.get('tokenID')!,
    TransactionAmount: { Value: amount, CurrencyCode: 'USD' },
    CallerReference: callerReference,
  })
}

const kinds = (disagreements: Disagreement[]) =>
  disagreements.map(({ kind, callerReference, transactionId }) => ({
    kind,
    ...(callerReference ? { callerReference } : {}),
    ...(transactionId ? { transactionId } : {}),
  }))

describe('reconciling with FPS account activity', () => {
  it('finds no disagreement after ordinary purchases, refunds and cancellations', async () => {
    const paid = await bought(h, '1.00')
    const card = await bought(h, '2.50', 'CC')
    expect(card.status).toBe('success')
    await h.admin(`/orders/${paid.callerReference}/refund`, { amount: '0.40' })
    const unpaid = await h.checkout({ amount: '3.00', reason: 'Abandoned' })
    const cancelled = await h.checkout({ amount: '4.00', reason: 'Cancelled' })
    await h.admin(`/orders/${cancelled.json.callerReference}/cancel`, {})
    const shipped = await bought(reserving, '5.00')
    await reserving.admin(`/orders/${shipped.callerReference}/settle`, {})
    await reserving.admin(`/orders/${shipped.callerReference}/refund`, { amount: '1.00' })
    const held = await bought(reserving, '6.00')
    const released = await bought(reserving, '7.00')
    await reserving.admin(`/orders/${released.callerReference}/cancel`, {})
    expect(held.status).toBe('reserved')

    const report = await h.signer.reconcileLedger()
    expect(report).toMatchObject({ orders: 4, transactions: 3, disagreements: [] })
    expect(unpaid.json.callerReference).toBeDefined()
    const reserved = await reserving.signer.reconcileLedger()
    expect(reserved).toMatchObject({ orders: 3, disagreements: [] })
  })

  it('reports an order marked paid in the database that FPS never charged', async () => {
    const { json } = await h.checkout({ amount: '8.00', reason: 'Marked paid' })
    plant(
      h,
      "UPDATE orders SET status = 'success' WHERE caller_reference = ?",
      json.callerReference!
    )
    const { disagreements } = await h.signer.reconcileLedger()
    expect(disagreements).toEqual([
      {
        kind: 'missing_payment',
        callerReference: json.callerReference,
        message: `The order ${json.callerReference} is success, but FPS has no Pay for it.`,
      },
    ])
    plant(
      h,
      "UPDATE orders SET status = 'created' WHERE caller_reference = ?",
      json.callerReference!
    )
  })

  it('reports a charge made under the merchant key with no order, and refunds made beside the signer', async () => {
    const rogue = await chargeWithoutOrder(h, 'rogue-charge-1', '9.00')
    const order = await bought(h, '2.00')
    const refund = await merchantClient(h).refund({
      TransactionId: order.transactionId!,
      CallerReference: 'rogue-refund-1',
      RefundAmount: { Value: '0.50', CurrencyCode: 'USD' },
    })
    const { disagreements } = await h.signer.reconcileLedger()
    expect(kinds(disagreements)).toEqual(
      expect.arrayContaining([
        { kind: 'refund_differs', callerReference: order.callerReference },
        { kind: 'unknown_transaction', transactionId: rogue.TransactionId },
        { kind: 'unknown_transaction', transactionId: refund.TransactionId },
      ])
    )
    expect(disagreements).toHaveLength(3)
    expect(
      disagreements.find((found) => found.transactionId === rogue.TransactionId)?.message
    ).toBe(
      `FPS's Pay ${rogue.TransactionId} is Success (9.00 USD, CallerReference rogue-charge-1) matches no order of the signer.`
    )
    expect(disagreements.find((found) => found.kind === 'refund_differs')?.message).toBe(
      `The order ${order.callerReference} has 0.00 refunded, but FPS 0.50 (1 refunds).`
    )
  })

  it('reports amounts that differ and a charge of an order the signer has as failed', async () => {
    const later = new Date(Date.now() + 1).toISOString()
    const repriced = await bought(h, '3.00')
    const failed = await bought(h, '4.00')
    plant(
      h,
      "UPDATE orders SET amount = '3.50', amount_cents = 350 WHERE caller_reference = ?",
      repriced.callerReference
    )
    plant(
      h,
      "UPDATE orders SET status = 'failure' WHERE caller_reference = ?",
      failed.callerReference
    )
    const { disagreements, orders } = await h.signer.reconcileLedger({ from: later })
    expect(orders).toBe(2)
    expect(kinds(disagreements)).toEqual([
      {
        kind: 'amount_differs',
        callerReference: repriced.callerReference,
        transactionId: repriced.transactionId!,
      },
      {
        kind: 'unexpected_charge',
        callerReference: failed.callerReference,
        transactionId: failed.transactionId!,
      },
    ])
    expect(disagreements[0]?.message).toMatch(
      /is for 3\.50, but FPS's Pay \S+ is Success \(3\.00 USD/
    )
  })

  it('keeps to the period: orders created in it, transactions received in it', async () => {
    const { orders, transactions, disagreements } = await h.signer.reconcileLedger({
      from: '2001-01-01T00:00:00Z',
      to: '2001-01-02T00:00:00Z',
    })
    expect({ orders, transactions, disagreements }).toEqual({
      orders: 0,
      transactions: 0,
      disagreements: [],
    })
  })
})
