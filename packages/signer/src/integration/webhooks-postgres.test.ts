import { randomBytes } from 'node:crypto'
import { newCallerKey, newOrder, RETURN_URL } from '@fps-checkout/signer/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase } from '../../test/postgres.js'
import { startReceiver, type WebhookReceiver } from '../../test/webhook-receiver.js'
import { createSigner, type Signer } from '../app.js'
import { openStore } from '../store/open.js'
import type { Store } from '../store/types.js'

const ORDERS = 20

let store: Store
let signers: Signer[] = []
let receiver: WebhookReceiver

beforeAll(async () => {
  const databaseUrl = await createTestDatabase()
  receiver = await startReceiver()
  const options = {
    ...newCallerKey(),
    returnUrl: RETURN_URL,
    databaseUrl,
    webhookUrl: receiver.url,
    webhookSecret: `whsec_${randomBytes(32).toString('base64')}`,
    log: () => undefined,
  }
  signers = [createSigner(options), createSigner(options)]
  await Promise.all(signers.map((signer) => signer.ready))
  store = openStore(databaseUrl)
})

afterAll(async () => {
  await Promise.all(signers.map((signer) => signer.close()))
  await store?.close()
  await receiver?.close()
})

describe('two signers sharing one PostgreSQL', () => {
  it('deliver each event once, an order’s events in order', async () => {
    const at = new Date().toISOString()
    const orders = Array.from({ length: ORDERS }, () => newOrder({ capture: 'reserve' }))
    await Promise.all(
      orders.map(async (order) => {
        const ref = order.callerReference
        await store.insertOrder(order)
        await store.transition(ref, { from: ['created'], to: 'pending', note: 'authorized', at })
        await store.transition(ref, { from: ['pending'], to: 'reserved', note: 'reserved', at })
        await store.transition(ref, { from: ['reserved'], to: 'success', note: 'settled', at })
      })
    )
    const received = await receiver.waitFor(ORDERS * 2)
    // the receiver has them all; wait for the signers to record them delivered
    const deadline = Date.now() + 10_000
    let events = await store.listEvents({ limit: 500 })
    while (events.some((event) => event.state !== 'delivered') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20))
      events = await store.listEvents({ limit: 500 })
    }
    expect(events.map((event) => [event.state, event.attempts])).toEqual(
      Array.from({ length: ORDERS * 2 }, () => ['delivered', 1])
    )
    expect(received).toHaveLength(ORDERS * 2)
    const ids = received.map(({ headers }) => headers['webhook-id'])
    expect(new Set(ids).size).toBe(ORDERS * 2)
    const bodies = received.map(
      ({ body }) =>
        JSON.parse(body) as { type: string; data: { order: { callerReference: string } } }
    )
    for (const order of orders) {
      const mine = bodies.filter(
        (body) => body.data.order.callerReference === order.callerReference
      )
      expect(mine.map((body) => body.type)).toEqual(['order.reserved', 'order.settled'])
    }
  })
})
