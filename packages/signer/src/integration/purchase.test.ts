import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Harness } from '../testing/harness.js'

let h: Harness

beforeAll(async () => {
  h = await Harness.start()
})
afterAll(() => h?.close())

describe('a purchase', () => {
  it('goes from checkout through the CBUI pages, the return and Pay to success', async () => {
    const checkout = await h.checkout({ amount: '0.90', reason: 'Now and Forever - Richard Marx' })
    expect(checkout.status).toBe(200)
    const { url, callerReference } = checkout.json
    const query = await h.authorize(url!)
    const back = await h.returnWith(query)
    expect(back.status).toBe(200)
    expect(back.json.order).toMatchObject({ callerReference, status: 'success', amount: '0.90' })
    expect(h.transactions(callerReference!)).toHaveLength(1)
  })
})
