import { setTimeout as sleep } from 'node:timers/promises'
import { Harness, testClock } from '@fps-checkout/signer/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/** How long FPS holds the first return's Pay: the second return comes while it is in flight. */
const HOLD_MS = 600

const clock = testClock()
let h: Harness

beforeAll(async () => {
  h = await Harness.start({
    signer: {
      now: clock.now,
      catalog: {
        items: {
          'streaming-monthly': { price: '4.99', every: '1 Month' },
          song: { price: '0.99' },
        },
      },
    },
    sandbox: { now: clock.now, faults: true },
  })
})
afterAll(() => h?.close())

describe('a return sent again while the first one’s Pay is in flight', () => {
  it.each([
    ['a purchase', 'song', '0.99'],
    ['a plan’s sign-up', 'streaming-monthly', '4.99'],
  ])('answers %s paid once FPS answers, with one Pay', async (_, item, amount) => {
    const { json } = await h.checkout({ amount, reason: 'Sent twice', item })
    const query = await h.authorize(json.url!)
    h.sandbox.injectFaults({ delay: { ms: HOLD_MS, count: 1 }, action: 'Pay' })
    const first = h.returnWith(query)
    await sleep(HOLD_MS / 3)
    const second = await h.returnWith(query)
    expect(second.json.order?.status).toBe('success')
    expect((await first).json.order?.status).toBe('success')
    const pays = h.transactions(json.callerReference!).filter((txn) => txn.operation === 'Pay')
    expect(pays).toHaveLength(1)
  })
})
