import type { NewOperation, NewOrder, Store } from '@fps-checkout/signer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { outboxConformance } from './outbox-conformance.js'
import { subscriptionConformance } from './subscription-conformance.js'

const T0 = '2030-01-01T00:00:00.000Z'
const T1 = '2030-01-01T00:01:00.000Z'
const T2 = '2030-01-01T00:02:00.000Z'

let sequence = 0

/** A fresh order to store, unique by its callerReference; for store tests of every kind. */
export function newOrder(overrides: Partial<NewOrder> = {}): NewOrder {
  sequence += 1
  return {
    callerReference: `ord_conformance_${sequence}_${Math.random().toString(36).slice(2)}`,
    status: 'created',
    amount: '1.00',
    amountCents: 100,
    currencyCode: 'USD',
    reason: 'A song',
    item: undefined,
    logo: undefined,
    capture: 'pay',
    checkoutUrl: 'https://cbui.example/start?x=1',
    idempotencyKey: undefined,
    requestHash: undefined,
    createdAt: T0,
    expiresAt: T2,
    ...overrides,
  }
}

function newOperation(
  callerReference: string,
  overrides: Partial<NewOperation> = {}
): NewOperation {
  return {
    key: `charge:${callerReference}`,
    callerReference,
    kind: 'pay',
    fpsCallerReference: callerReference,
    amountCents: 100,
    request: '{"body":"signed"}',
    at: T0,
    ...overrides,
  }
}

/** What a store under test can do besides open: see `describeStoreConformance`. */
export interface StoreConformanceOptions {
  /**
   * Opens a store on the same database whose write of an event fails inside the transaction of
   * its change, after the change: the change must not stay without its event.
   */
  openFailingOutbox?: () => Promise<Store>
}

/**
 * The behaviour every `Store` adapter must show, run against each one. `open` may be called more
 * than once: the second store shares the first one's database, like a second signer process.
 */
export function describeStoreConformance(
  name: string,
  open: () => Promise<Store>,
  options: StoreConformanceOptions = {}
): void {
  describe(`${name} store`, () => {
    let store: Store
    let other: Store

    beforeAll(async () => {
      store = await open()
      other = await open()
      await Promise.all([store.migrate(), other.migrate()])
      await store.migrate()
    })

    afterAll(async () => {
      await store?.close()
      await other?.close()
    })

    it('stores an order with its first history line', async () => {
      const order = newOrder({ item: 'song', logo: 'https://cdn.example/logo.png' })
      const inserted = await store.insertOrder(order)
      expect(inserted).toMatchObject({ ...order, refundedCents: 0, updatedAt: T0 })
      expect(inserted?.tokenId).toBeUndefined()
      expect(await other.getOrder(order.callerReference)).toEqual(inserted)
      expect(await store.history(order.callerReference)).toEqual([
        { at: T0, status: 'created', note: 'Checkout started.' },
      ])
      expect(await store.getOrder('ord_missing')).toBeUndefined()
    })

    it('lets one order own an idempotency key', async () => {
      const first = newOrder({ idempotencyKey: `key-${sequence}`, requestHash: 'h1' })
      const racing = [first, newOrder({ idempotencyKey: first.idempotencyKey })]
      const results = await Promise.all(
        racing.map((order, i) => (i ? other : store).insertOrder(order))
      )
      expect(results.filter(Boolean)).toHaveLength(1)
      const owner = await store.getOrderByIdempotencyKey(first.idempotencyKey!)
      expect(owner?.callerReference).toBe(results.find(Boolean)?.callerReference)
      const loser = racing.find((order) => order.callerReference !== owner?.callerReference)!
      expect(await store.getOrder(loser.callerReference)).toBeUndefined()
      expect(await store.history(loser.callerReference)).toEqual([])
    })

    it('applies a transition only from the allowed states, once under a race', async () => {
      const order = newOrder()
      await store.insertOrder(order)
      const race = await Promise.all(
        (['pending', 'cancelled', 'failure', 'pending'] as const).map((to, i) =>
          (i % 2 ? other : store).transition(order.callerReference, {
            from: ['created'],
            to,
            note: `to ${to}`,
            at: T1,
            set: { tokenId: `token-${i}` },
          })
        )
      )
      const winners = race.filter(Boolean)
      expect(winners).toHaveLength(1)
      const history = await store.history(order.callerReference)
      expect(history).toHaveLength(2)
      expect(history[1]).toEqual({
        at: T1,
        status: winners[0]!.status,
        note: `to ${winners[0]!.status}`,
      })
      expect(winners[0]).toMatchObject({ updatedAt: T1 })
      expect(winners[0]?.tokenId).toMatch(/^token-/)
    })

    it('keeps fields a transition does not set', async () => {
      const order = newOrder()
      await store.insertOrder(order)
      await store.transition(order.callerReference, {
        from: ['created'],
        to: 'pending',
        note: 'authorized',
        at: T1,
        set: { tokenId: 'tok' },
      })
      const paid = await store.transition(order.callerReference, {
        from: ['pending'],
        to: 'success',
        note: 'paid',
        at: T2,
        set: { transactionId: 'txn' },
      })
      expect(paid).toMatchObject({ status: 'success', tokenId: 'tok', transactionId: 'txn' })
      expect(
        await store.transition(order.callerReference, {
          from: ['pending'],
          to: 'failure',
          note: 'late',
          at: T2,
        })
      ).toBeUndefined()
      expect((await store.history(order.callerReference)).map((line) => line.status)).toEqual([
        'created',
        'pending',
        'success',
      ])
    })

    it('lists orders by status and age, newest first', async () => {
      const older = newOrder({ createdAt: '2020-01-01T00:00:00.000Z' })
      const newer = newOrder({ createdAt: '2020-01-02T00:00:00.000Z' })
      await store.insertOrder(older)
      await store.insertOrder(newer)
      await store.transition(older.callerReference, {
        from: ['created'],
        to: 'expired',
        note: 'x',
        at: '2020-01-03T00:00:00.000Z',
      })
      await store.transition(newer.callerReference, {
        from: ['created'],
        to: 'expired',
        note: 'x',
        at: '2020-01-03T00:00:00.000Z',
      })
      const expired = await store.listOrders({ status: ['expired'], limit: 10 })
      expect(expired.map((order) => order.callerReference)).toEqual([
        newer.callerReference,
        older.callerReference,
      ])
      expect(await store.listOrders({ status: ['expired'], limit: 1 })).toHaveLength(1)
      const oldest = await store.listOrders({ status: ['expired'], oldestFirst: true, limit: 1 })
      expect(oldest.map((order) => order.callerReference)).toEqual([older.callerReference])
      const stale = await store.listOrders({
        status: ['created'],
        updatedBefore: '2021-01-01T00:00:00.000Z',
        limit: 10,
      })
      expect(stale).toEqual([])
      expect((await store.listOrders({ limit: 500 })).length).toBeGreaterThanOrEqual(2)
    })

    it('lists the orders created in a range, oldest first, page after page', async () => {
      const at = (minute: number) => `2019-06-01T00:0${minute}:00.000Z`
      const orders = [1, 2, 2, 2, 3, 5].map((minute) => newOrder({ createdAt: at(minute) }))
      for (const order of orders) await store.insertOrder(order)
      const created = { from: at(2), to: at(3) }
      const pages: string[][] = []
      let after: { createdAt: string; callerReference: string } | undefined
      for (;;) {
        const page = await store.listOrders({
          created,
          oldestFirst: true,
          limit: 2,
          ...(after ? { after } : {}),
        })
        if (page.length === 0) break
        pages.push(page.map((order) => order.callerReference))
        after = page.at(-1)
      }
      const inRange = orders.slice(1, 5)
      const sameMinute = inRange
        .slice(0, 3)
        .map((order) => order.callerReference)
        .sort()
      expect(pages.flat()).toEqual([...sameMinute, inRange[3]!.callerReference])
      expect(pages.map((page) => page.length)).toEqual([2, 2])
    })

    it('never refunds more than the amount, even under a race', async () => {
      const order = newOrder({ amountCents: 100 })
      await store.insertOrder(order)
      const results = await Promise.all(
        [30, 30, 30, 30].map((cents, i) =>
          (i % 2 ? other : store).adjustRefunded(order.callerReference, cents)
        )
      )
      expect(results.filter(Boolean)).toHaveLength(3)
      expect((await store.getOrder(order.callerReference))?.refundedCents).toBe(90)
      expect(await store.adjustRefunded(order.callerReference, -100)).toBe(false)
      expect(await store.adjustRefunded(order.callerReference, -30)).toBe(true)
      expect((await store.getOrder(order.callerReference))?.refundedCents).toBe(60)
    })

    it('stores a refund and takes its amount in one transaction, never past the payment', async () => {
      const order = newOrder({ amountCents: 100 })
      await store.insertOrder(order)
      const refund = (number: number, amountCents = 30) =>
        newOperation(order.callerReference, {
          key: `refund:${order.callerReference}-r${number}`,
          kind: 'refund',
          fpsCallerReference: `${order.callerReference}-r${number}`,
          amountCents,
        }) as NewOperation & { amountCents: number }
      const results = await Promise.all(
        [1, 2, 3, 4].map((number, i) => (i % 2 ? other : store).insertRefund(refund(number)))
      )
      expect(results.filter((result) => result?.inserted)).toHaveLength(3)
      expect(results.filter((result) => result === undefined)).toHaveLength(1)
      expect((await store.getOrder(order.callerReference))?.refundedCents).toBe(90)
      const kept = results.find((result) => result?.inserted)!.operation
      expect(kept).toMatchObject({ kind: 'refund', state: 'prepared', amountCents: 30 })
      // a taken key answers the stored refund and takes nothing more
      const again = await other.insertRefund({ ...refund(0, 10), key: kept.key })
      expect(again).toEqual({ operation: kept, inserted: false })
      expect((await store.getOrder(order.callerReference))?.refundedCents).toBe(90)
      expect(await store.insertRefund(refund(5, 11))).toBeUndefined()
      expect(await store.getOperation(refund(5).key)).toBeUndefined()
      const refunds = (await store.listOperations(order.callerReference)).filter(
        (operation) => operation.kind === 'refund'
      )
      expect(refunds).toHaveLength(3)
      expect(await store.insertRefund(refund(6, 10))).toMatchObject({ inserted: true })
      expect((await store.getOrder(order.callerReference))?.refundedCents).toBe(100)
    })

    it('keeps access tokens per order', async () => {
      const order = newOrder()
      await store.insertOrder(order)
      await store.addAccessToken(order.callerReference, 'hash-a', T0)
      await other.addAccessToken(order.callerReference, 'hash-a', T1)
      expect(await other.hasAccessToken(order.callerReference, 'hash-a')).toBe(true)
      expect(await store.hasAccessToken(order.callerReference, 'hash-b')).toBe(false)
      expect(await store.hasAccessToken('ord_other', 'hash-a')).toBe(false)
    })

    it('stores one operation per key and one charge per order', async () => {
      const order = newOrder()
      await store.insertOrder(order)
      const operation = newOperation(order.callerReference)
      const [a, b] = await Promise.all([
        store.insertOperation(operation),
        other.insertOperation(operation),
      ])
      expect([a.inserted, b.inserted].filter(Boolean)).toHaveLength(1)
      expect(a.operation).toEqual(b.operation)
      expect(a.operation).toMatchObject({
        state: 'prepared',
        attempts: 0,
        request: operation.request,
      })
      // the inserted operation is answered as it reads back, without an amount or FPS reference too
      expect(a.operation).toStrictEqual(await store.getOperation(operation.key))
      const cancel = newOperation(order.callerReference, {
        key: 'cancel-1',
        kind: 'cancel',
        fpsCallerReference: undefined,
        amountCents: undefined,
      })
      const inserted = await store.insertOperation(cancel)
      expect(inserted.inserted).toBe(true)
      expect(inserted.operation).toStrictEqual(await store.getOperation(cancel.key))
      await expect(
        store.insertOperation(
          newOperation(order.callerReference, { key: 'charge-again', fpsCallerReference: 'x' })
        )
      ).rejects.toThrow()
      await expect(
        store.insertOperation(
          newOperation(order.callerReference, {
            key: 'refund-1',
            kind: 'refund',
            fpsCallerReference: order.callerReference,
          })
        )
      ).rejects.toThrow()
      const refund = await store.insertOperation(
        newOperation(order.callerReference, {
          key: 'refund-2',
          kind: 'refund',
          fpsCallerReference: `${order.callerReference}-r1`,
        })
      )
      expect(refund.inserted).toBe(true)
      expect(
        (await store.listOperations(order.callerReference)).map((op) => op.key).sort()
      ).toEqual(['cancel-1', 'refund-2', operation.key].sort())
    })

    it('leases an operation to one sender at a time and finishes it once', async () => {
      const order = newOrder()
      await store.insertOrder(order)
      const { operation } = await store.insertOperation(newOperation(order.callerReference))
      const claims = await Promise.all([
        store.claimOperation(operation.key, T0, T1),
        other.claimOperation(operation.key, T0, T1),
      ])
      expect(claims.filter(Boolean)).toHaveLength(1)
      expect(claims.find(Boolean)).toMatchObject({ attempts: 1, leaseUntil: T1 })
      expect(await store.listStalledOperations(T0, 100)).not.toContainEqual(
        expect.objectContaining({ key: operation.key })
      )
      expect(await store.listStalledOperations(T2, 100)).toContainEqual(
        expect.objectContaining({ key: operation.key })
      )
      expect(
        await other.claimOperation(operation.key, T2, '2030-01-01T00:03:00.000Z')
      ).toMatchObject({ attempts: 2 })
      expect(await store.renewOperation(operation.key, 1, '2030-01-01T00:04:00.000Z')).toBe(false)
      expect(await other.renewOperation(operation.key, 2, '2030-01-01T00:04:00.000Z')).toBe(true)
      expect(await store.getOperation(operation.key)).toMatchObject({
        leaseUntil: '2030-01-01T00:04:00.000Z',
      })
      await store.releaseOperation(operation.key, T2)
      expect(
        await store.claimOperation(operation.key, T2, '2030-01-01T00:03:00.000Z')
      ).toMatchObject({ attempts: 3 })
      await store.replaceRequest(operation.key, '{"body":"re-signed"}', T2)
      const answer = { transactionId: 'txn-1', transactionStatus: 'Pending', requestId: 'req-1' }
      const outcome = { state: 'done', at: T2, ...answer } as const
      const finished = await Promise.all([
        store.finishOperation(operation.key, outcome),
        other.finishOperation(operation.key, outcome),
      ])
      expect(finished.filter(Boolean)).toHaveLength(1)
      expect(finished.find(Boolean)).toMatchObject({
        state: 'done',
        updatedAt: T2,
        request: '{"body":"re-signed"}',
        ...answer,
      })
      expect(finished.find(Boolean)?.leaseUntil).toBeUndefined()
      expect(await store.claimOperation(operation.key, T2, T2)).toBeUndefined()
      expect(await store.findOperationsByTransaction('txn-1')).toEqual([
        expect.objectContaining({ key: operation.key }),
      ])
      expect(await store.findOperationByReference(order.callerReference)).toMatchObject({
        key: operation.key,
      })
      expect(await store.findOperationsByTransaction('txn-missing')).toEqual([])
      expect(await store.findOperationByReference('missing')).toBeUndefined()
    })

    it('moves a transaction status forward until it is final', async () => {
      const order = newOrder()
      await store.insertOrder(order)
      const { operation } = await store.insertOperation(newOperation(order.callerReference))
      expect(await store.updateTransactionStatus(operation.key, 'Success', T1)).toBe(false)
      await store.finishOperation(operation.key, {
        state: 'done',
        at: T1,
        transactionId: 't',
        transactionStatus: 'Pending',
      })
      expect(await store.updateTransactionStatus(operation.key, 'Pending', T1)).toBe(false)
      const race = await Promise.all([
        store.updateTransactionStatus(operation.key, 'Success', T2),
        other.updateTransactionStatus(operation.key, 'Success', T2),
      ])
      expect(race.filter(Boolean)).toHaveLength(1)
      expect(await store.updateTransactionStatus(operation.key, 'Failure', T2)).toBe(false)
      expect((await store.getOperation(operation.key))?.transactionStatus).toBe('Success')
    })

    it('takes a write probe, from several processes at once, again and again', async () => {
      await Promise.all([store.probeWrite(T0), other.probeWrite(T1), store.probeWrite(T2)])
      await expect(other.probeWrite(T2)).resolves.toBeUndefined()
    })

    it('records each notification once', async () => {
      const key = `ipn-${sequence}-${Math.random()}`
      const results = await Promise.all([
        store.recordNotification(key, 'ord_x', '{}', T0),
        other.recordNotification(key, 'ord_x', '{}', T0),
        store.recordNotification(key, undefined, '{}', T0),
      ])
      expect(results.filter(Boolean)).toHaveLength(1)
      await other.forgetNotification(key)
      expect(await store.recordNotification(key, 'ord_x', '{}', T0)).toBe(true)
    })

    it('finds an approved request left without its refund behind any number of refunded ones', async () => {
      const approve = async (decidedAt: string, refunded: boolean) => {
        const order = newOrder({ amountCents: 100 })
        await store.insertOrder(order)
        const id = `rfr_${order.callerReference}`
        await store.insertRefundRequest({
          id,
          callerReference: order.callerReference,
          amountCents: 100,
          currencyCode: 'USD',
          reason: undefined,
          createdAt: T0,
        })
        await store.decideRefundRequest(id, 'open', {
          status: 'approved',
          by: 'merchant',
          at: decidedAt,
        })
        if (refunded) {
          await store.insertRefund({
            ...newOperation(order.callerReference, {
              key: `refund:${order.callerReference}-refund-${id}`,
              kind: 'refund',
              fpsCallerReference: `${order.callerReference}-refund-${id}`,
              at: decidedAt,
            }),
            amountCents: 100,
          })
        }
        return id
      }
      // the oldest approval lost its refund; 120 newer ones were refunded
      const lost = await approve('2001-01-01T00:00:00.000Z', false)
      for (let n = 0; n < 120; n++)
        await approve(`2001-01-02T00:00:${String(n % 60).padStart(2, '0')}.000Z`, true)
      const unrefunded = await other.listUnrefundedApprovals(100)
      expect(unrefunded.map(({ id }) => id)).toContain(lost)
      expect(unrefunded.every(({ status }) => status === 'approved')).toBe(true)
    })

    it('keeps one refund request per order, and applies one of two racing decisions', async () => {
      const order = newOrder()
      await store.insertOrder(order)
      const request = {
        id: `rfr_${order.callerReference}`,
        callerReference: order.callerReference,
        amountCents: 100,
        currencyCode: 'USD',
        reason: 'It arrived broken',
        createdAt: T1,
      }
      const stored = await store.insertRefundRequest(request)
      expect(stored).toEqual({
        ...request,
        status: 'open',
        decidedBy: undefined,
        note: undefined,
        decidedAt: undefined,
      })
      expect(
        await other.insertRefundRequest({ ...request, id: 'rfr_second', reason: undefined })
      ).toBeUndefined()
      expect(await other.getRefundRequest(request.id)).toEqual(stored)
      expect(await other.getRefundRequestOfOrder(order.callerReference)).toEqual(stored)
      expect(await store.getRefundRequest('rfr_missing')).toBeUndefined()
      const open = await store.listRefundRequests({ status: 'open', limit: 500 })
      expect(open.map(({ id }) => id)).toContain(request.id)

      const decisions = await Promise.all([
        store.decideRefundRequest(request.id, 'open', { status: 'approved', by: 'policy', at: T2 }),
        other.decideRefundRequest(request.id, 'open', {
          status: 'declined',
          by: 'merchant',
          note: 'No',
          at: T2,
        }),
      ])
      const [decided, ...rest] = decisions.filter((decision) => decision !== undefined)
      expect(rest).toEqual([])
      expect(decided).toMatchObject({ decidedAt: T2, decidedBy: expect.any(String) })
      expect(await store.listRefundRequests({ status: decided!.status, limit: 1 })).toEqual([
        decided,
      ])
      const reopened = await store.decideRefundRequest(request.id, decided!.status, {
        status: 'open',
      })
      expect(reopened).toEqual(stored)
    })

    outboxConformance(() => [store, other], options.openFailingOutbox)
    subscriptionConformance(() => [store, other])
  })
}
