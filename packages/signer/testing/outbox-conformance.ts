import type { NewOperation, Order, Store } from '@fps-checkout/signer'
import { expect, it } from 'vitest'
import { newOrder } from './store-conformance.js'

const T0 = '2030-01-01T00:00:00.000Z'
const T1 = '2030-01-01T00:01:00.000Z'
const T2 = '2030-01-01T00:02:00.000Z'
const T3 = '2030-01-01T00:03:00.000Z'
const T4 = '2030-01-01T00:04:00.000Z'

/** A paid order of `amountCents`, its Pay's transaction `txn`. */
async function paidOrder(store: Store, amountCents = 100): Promise<Order> {
  const order = newOrder({ amountCents, amount: (amountCents / 100).toFixed(2) })
  await store.insertOrder(order)
  const at = { note: 'paid', at: T1, set: { transactionId: 'txn' } }
  await store.transition(order.callerReference, { from: ['created'], to: 'pending', ...at })
  const paid = await store.transition(order.callerReference, {
    from: ['pending'],
    to: 'success',
    ...at,
  })
  return paid!
}

/** A refund of the order that FPS has answered Success. */
async function succeededRefund(store: Store, order: Order, number: number, cents: number) {
  const reference = `${order.callerReference}-refund-${number}`
  const refund: NewOperation = {
    key: `refund:${reference}`,
    callerReference: order.callerReference,
    kind: 'refund',
    fpsCallerReference: reference,
    amountCents: cents,
    request: '{}',
    at: T1,
  }
  await store.insertOperation(refund)
  await store.finishOperation(refund.key, { state: 'done', at: T1, transactionStatus: 'Success' })
  return refund.key
}

const refunded = (refund: string) =>
  ({ from: ['success', 'refunded'], to: 'refunded', note: 'refunded', at: T2, refund }) as const

/**
 * What every store must keep of the outbox: each change writes its event in its own
 * transaction, each refund applies once, and one process at a time tries an event, the events
 * of an order in order. `stores` answers the two stores of the suite (two processes on one
 * database); `openFailingOutbox`, when given, opens a store on the same database whose write of
 * an event fails inside the change's transaction.
 */
export function outboxConformance(
  stores: () => [Store, Store],
  openFailingOutbox?: () => Promise<Store>
): void {
  it('writes the event of each change that applies, with the order as it left it', async () => {
    const [store, other] = stores()
    const order = await paidOrder(store)
    expect(
      await store.transition(order.callerReference, {
        from: ['pending'],
        to: 'failure',
        note: 'late',
        at: T2,
      })
    ).toBeUndefined()
    const events = await other.listEvents({ callerReference: order.callerReference, limit: 10 })
    expect(events).toEqual([
      expect.objectContaining({
        id: expect.stringMatching(/^evt_/),
        type: 'order.paid',
        at: T1,
        seq: 3,
        refund: undefined,
        state: 'pending',
        attempts: 0,
        nextAttemptAt: T1,
        order: {
          callerReference: order.callerReference,
          status: 'success',
          amount: '1.00',
          currencyCode: 'USD',
          reason: order.reason,
          item: undefined,
          transactionId: 'txn',
          refundedCents: 0,
          createdAt: T0,
          updatedAt: T1,
        },
      }),
    ])
    expect(await store.getEvent(events[0]!.id)).toEqual(events[0])
  })

  it('tells a settlement from a payment, and writes one event for racing changes', async () => {
    const [store, other] = stores()
    const order = newOrder({ capture: 'reserve' })
    await store.insertOrder(order)
    const ref = order.callerReference
    await store.transition(ref, { from: ['created'], to: 'pending', note: 'x', at: T1 })
    const race = await Promise.all(
      [store, other, store].map((s) =>
        s.transition(ref, { from: ['pending'], to: 'reserved', note: 'reserved', at: T1 })
      )
    )
    expect(race.filter(Boolean)).toHaveLength(1)
    await store.transition(ref, { from: ['reserved'], to: 'success', note: 'settled', at: T2 })
    const events = await store.listEvents({ callerReference: ref, limit: 10 })
    expect(events.map((event) => event.type)).toEqual(['order.settled', 'order.reserved'])
  })

  it.runIf(openFailingOutbox !== undefined)(
    'leaves no change without its event when the event cannot be written',
    async () => {
      const [store] = stores()
      const failing = await openFailingOutbox!()
      try {
        const order = newOrder()
        await store.insertOrder(order)
        const cancel = { from: ['created'], to: 'cancelled', note: 'cancelled', at: T1 } as const
        await expect(failing.transition(order.callerReference, cancel)).rejects.toThrow()
        expect(await store.getOrder(order.callerReference)).toMatchObject({ status: 'created' })
        expect(await store.history(order.callerReference)).toHaveLength(1)
        expect(
          await store.listEvents({ callerReference: order.callerReference, limit: 9 })
        ).toEqual([])
        expect(await store.transition(order.callerReference, cancel)).toMatchObject({
          status: 'cancelled',
        })
      } finally {
        await failing.close()
      }
    }
  )

  it('applies each refund once, its event with its amount and whether it completes the order', async () => {
    const [store, other] = stores()
    const order = await paidOrder(store)
    const ref = order.callerReference
    const first = await succeededRefund(store, order, 1, 30)
    const second = await succeededRefund(store, order, 2, 70)
    const race = await Promise.all(
      [store, other, store, other].map((s) => s.transition(ref, refunded(first)))
    )
    expect(race.filter(Boolean)).toHaveLength(1)
    expect(await store.transition(ref, refunded(second))).toMatchObject({ status: 'refunded' })
    expect(await other.transition(ref, refunded(second))).toBeUndefined()
    expect(await store.transition(ref, refunded(`refund:${ref}-refund-9`))).toBeUndefined()
    const events = await store.listEvents({
      callerReference: ref,
      type: 'order.refunded',
      limit: 9,
    })
    expect(events.map((event) => event.refund)).toEqual([
      { amountCents: 70, full: true },
      { amountCents: 30, full: false },
    ])
    expect((await store.history(ref)).map((line) => line.status)).toEqual([
      'created',
      'pending',
      'success',
      'refunded',
      'refunded',
    ])
    await expect(
      store.transition(ref, { from: ['refunded'], to: 'refunded', note: 'x', at: T2 })
    ).rejects.toThrow(/refund operation/)
  })

  it('leases the first pending event of an order to one process at a time', async () => {
    const [store, other] = stores()
    const order = await paidOrder(store)
    await store.transition(
      order.callerReference,
      refunded(await succeededRefund(store, order, 1, 100))
    )
    const [refund, paid] = await store.listEvents({
      callerReference: order.callerReference,
      limit: 9,
    })
    const due = async (now: string) =>
      (await other.dueEvents(now, 500)).filter(
        (event) => event.order.callerReference === order.callerReference
      )
    expect((await due(T0)).map((event) => event.id)).toEqual([])
    expect((await due(T2)).map((event) => event.id)).toEqual([paid!.id])
    const claims = await Promise.all([
      store.claimEvent(paid!.id, T2, T3),
      other.claimEvent(paid!.id, T2, T3),
    ])
    expect(claims.filter(Boolean)).toEqual([
      expect.objectContaining({ attempts: 1, deliverSince: T2 }),
    ])
    expect(await store.claimEvent(refund!.id, T2, T3)).toBeUndefined()
    expect(await due(T2)).toEqual([])
    expect(await store.renewEvent(paid!.id, 1, T3)).toBe(true)
    // the lease lapses; a second process tries, and the first one's late failure changes nothing
    expect(await other.claimEvent(paid!.id, T4, T4)).toMatchObject({
      attempts: 2,
      deliverSince: T2,
    })
    expect(await store.renewEvent(paid!.id, 1, T4)).toBe(false)
    const attempt = { eventId: paid!.id, at: T2, durationMs: 5, statusCode: 500, error: 'HTTP 500' }
    await store.recordAttempt({ ...attempt, attempt: 1 }, { state: 'failed' })
    expect(await store.getEvent(paid!.id)).toMatchObject({ state: 'pending', failures: 0 })
    await other.recordAttempt(
      { ...attempt, attempt: 2, at: T4 },
      { state: 'pending', nextAttemptAt: '2030-01-01T01:00:00.000Z' }
    )
    expect(await store.getEvent(paid!.id)).toMatchObject({
      state: 'pending',
      failures: 1,
      leaseUntil: undefined,
      nextAttemptAt: '2030-01-01T01:00:00.000Z',
    })
    expect(await due('2030-01-01T00:59:00.000Z')).toEqual([])
    const later = '2030-01-01T01:00:00.000Z'
    expect(await store.claimEvent(paid!.id, later, '2030-01-01T01:01:00.000Z')).toMatchObject({
      attempts: 3,
    })
    const third = {
      eventId: paid!.id,
      attempt: 3,
      at: later,
      durationMs: 7,
      statusCode: 204,
      error: undefined,
    }
    await store.recordAttempt(third, { state: 'delivered', at: later })
    expect(await store.getEvent(paid!.id)).toMatchObject({ state: 'delivered', deliveredAt: later })
    expect((await due(later)).map((event) => event.id)).toEqual([refund!.id])
    expect((await other.listAttempts([paid!.id, refund!.id])).map((a) => a.attempt)).toEqual([
      1, 2, 3,
    ])
    expect((await store.listAttempts([paid!.id]))[2]).toEqual(third)
  })

  it('lists events newest first by a cursor, and makes one due again on request', async () => {
    const [store, other] = stores()
    const order = await paidOrder(store)
    const ref = order.callerReference
    await store.transition(ref, refunded(await succeededRefund(store, order, 1, 10)))
    await store.transition(ref, refunded(await succeededRefund(store, order, 2, 10)))
    const all = await store.listEvents({ callerReference: ref, limit: 9 })
    expect(all.map((event) => event.seq)).toEqual([5, 4, 3])
    const page = await other.listEvents({ callerReference: ref, limit: 2 })
    const rest = await other.listEvents({ callerReference: ref, before: page[1]!.id, limit: 2 })
    expect([...page, ...rest]).toEqual(all)
    expect(await store.listEvents({ callerReference: ref, type: 'order.paid', limit: 9 })).toEqual([
      all[2],
    ])
    expect((await store.listEvents({ limit: 1 }))[0]!.id >= all[0]!.id).toBe(true)
    const paid = all[2]!
    await store.claimEvent(paid.id, T2, T3)
    await store.recordAttempt(
      { eventId: paid.id, attempt: 1, at: T2, durationMs: 1, statusCode: 204, error: undefined },
      { state: 'delivered', at: T2 }
    )
    expect(await other.redeliverEvent(paid.id, T4)).toMatchObject({
      state: 'pending',
      failures: 0,
      nextAttemptAt: T4,
      deliverSince: undefined,
      deliveredAt: undefined,
      attempts: 1,
    })
    expect(await other.redeliverEvent('evt_missing', T4)).toBeUndefined()
    expect(await store.getEvent('evt_missing')).toBeUndefined()
  })
}
