import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ADMIN_TOKEN, Harness } from '@fps-checkout/signer/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore } from '../store/open.js'
import type { Store } from '../store/types.js'

let h: Harness
let store: Store
let dir: string
/** While set, the process "dies" right after storing an operation, before it is sent. */
let killBeforeSend = false

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fps-refund-crash-'))
  store = openStore(`file:${join(dir, 'signer.db')}`)
  const dying: Store = Object.assign(Object.create(store) as Store, {
    claimOperation: (key: string, now: string, leaseUntil: string) => {
      if (killBeforeSend) throw new Error('killed before the send')
      return store.claimOperation(key, now, leaseUntil)
    },
  })
  h = await Harness.start({ signer: { store: dying } })
})
afterAll(async () => {
  await h?.close()
  rmSync(dir, { recursive: true, force: true })
})

async function paid(amount: string): Promise<string> {
  const { json } = await h.checkout({ amount, reason: 'Refund crash' })
  const back = await h.returnWith(await h.authorize(json.url!))
  expect(back.json.order?.status).toBe('success')
  return json.callerReference!
}

const refunds = (callerReference: string) =>
  h.transactions(callerReference).filter((txn) => txn.operation === 'Refund')

async function refundedAmount(callerReference: string): Promise<string | undefined> {
  return (await h.orderAsAdmin(callerReference)).json.order?.refundedAmount
}

async function approvedRequest(callerReference: string, amountCents: number): Promise<string> {
  const id = `rfr_crash_${callerReference}`
  await store.insertRefundRequest({
    id,
    callerReference,
    amountCents,
    currencyCode: 'USD',
    reason: undefined,
    createdAt: new Date().toISOString(),
  })
  const at = new Date().toISOString()
  expect(
    await store.decideRefundRequest(id, 'open', { status: 'approved', by: 'merchant', at })
  ).toBeDefined()
  return id
}

describe('a refund whose process is killed', () => {
  it('after the refund is stored, before it is sent: the sweep sends it, once', async () => {
    const callerReference = await paid('1.00')
    killBeforeSend = true
    try {
      expect(
        (await h.admin(`/orders/${callerReference}/refund`, { amount: '0.25' })).status
      ).toBeGreaterThanOrEqual(500)
    } finally {
      killBeforeSend = false
    }
    expect(refunds(callerReference)).toHaveLength(0)
    expect(await refundedAmount(callerReference)).toBe('0.25')
    expect((await h.signer.sweep()).resent).toBeGreaterThanOrEqual(1)
    await h.signer.sweep()
    expect(refunds(callerReference).map((txn) => txn.amount)).toEqual([25])
    expect(await refundedAmount(callerReference)).toBe('0.25')
  })

  it('after approving a refund request, before storing its refund: the sweep refunds it, once', async () => {
    const callerReference = await paid('2.00')
    const id = await approvedRequest(callerReference, 200)
    expect((await store.getOrder(callerReference))?.refundedCents).toBe(0)
    await h.signer.sweep()
    await h.signer.sweep()
    expect(refunds(callerReference).map((txn) => txn.amount)).toEqual([200])
    expect(await refundedAmount(callerReference)).toBe('2.00')
    expect((await store.getRefundRequest(id))?.status).toBe('approved')
  })

  it('after storing an approved request’s refund, before sending it: the sweep sends it, once', async () => {
    const callerReference = await paid('1.50')
    const id = `rfr_sent_${callerReference}`
    await store.insertRefundRequest({
      id,
      callerReference,
      amountCents: 150,
      currencyCode: 'USD',
      reason: undefined,
      createdAt: new Date().toISOString(),
    })
    killBeforeSend = true
    try {
      const approve = await h.request(`/admin/refund-requests/${id}/approve`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      })
      expect(approve.status).toBeGreaterThanOrEqual(500)
    } finally {
      killBeforeSend = false
    }
    expect((await store.getRefundRequest(id))?.status).toBe('approved')
    expect(await refundedAmount(callerReference)).toBe('1.50')
    await h.signer.sweep()
    await h.signer.sweep()
    expect(refunds(callerReference).map((txn) => txn.amount)).toEqual([150])
    expect(await refundedAmount(callerReference)).toBe('1.50')
  })
})
