import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  newCallerKey,
  newOrder,
  RETURN_URL,
  startSignerProcess,
} from '@fps-checkout/signer/testing'
import { describe, expect, it } from 'vitest'
import { startReceiver } from '../../test/webhook-receiver.js'
import { openStore } from '../store/open.js'

describe('a signer killed during a webhook', () => {
  it('leaves the try to the next process, made once the lease lapses', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'signer-webhook-killed-'))
    const databaseUrl = `file:${join(dir, 'signer.db')}`
    const store = openStore(databaseUrl)
    // the endpoint never answers the first try; the process dies with it in flight
    const receiver = await startReceiver((n) => (n === 0 ? 'hang' : 204))
    const settings = {
      ...newCallerKey(),
      returnUrl: RETURN_URL,
      databaseUrl,
      webhookUrl: receiver.url,
      webhookSecret: `whsec_${randomBytes(32).toString('base64')}`,
      leaseMs: 1_000,
    }
    let child = await startSignerProcess(settings)
    try {
      const order = newOrder()
      await store.insertOrder(order)
      const at = new Date().toISOString()
      await store.transition(order.callerReference, {
        from: ['created'],
        to: 'cancelled',
        note: 'Cancelled by the merchant.',
        at,
      })
      await receiver.waitFor(1)
      await child.kill()
      child = await startSignerProcess(settings)
      const [first, second] = await receiver.waitFor(2)
      expect(second?.headers['webhook-id']).toBe(first?.headers['webhook-id'])
      expect(JSON.parse(second!.body)).toMatchObject({ type: 'order.cancelled' })
      const [event] = await store.listEvents({ callerReference: order.callerReference, limit: 1 })
      const deadline = Date.now() + 10_000
      while ((await store.getEvent(event!.id))?.state !== 'delivered' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      expect(await store.getEvent(event!.id)).toMatchObject({ state: 'delivered', attempts: 2 })
      // the killed process recorded nothing of its try; the second one recorded its own
      expect(await store.listAttempts([event!.id])).toEqual([
        expect.objectContaining({ attempt: 2, statusCode: 204 }),
      ])
    } finally {
      await child.kill()
      await store.close()
      await receiver.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }, 30_000)
})
