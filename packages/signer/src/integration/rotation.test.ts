import { Harness, newCallerKey } from '@fps-checkout/signer/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const oldKey = newCallerKey()
const newKey = newCallerKey()
let h: Harness

beforeAll(async () => {
  h = await Harness.start({
    signer: { ...oldKey, maxRetries: 0, recoverAfterMs: 1, leaseMs: 50 },
    callers: [oldKey, newKey],
    sandbox: { faults: true },
  })
})
afterAll(() => h?.close())

function pays(callerReference: string) {
  return h.transactions(callerReference).filter((txn) => txn.operation === 'Pay')
}

describe('a key rotation', () => {
  it('keeps orders started under the old key working, and re-signs stored requests FPS refuses', async () => {
    const started = await h.checkout({ amount: '1.50', reason: 'Started before rotation' })
    const startedQuery = await h.authorize(started.json.url!)

    const stuck = await h.checkout({ amount: '2.50', reason: 'Pay stored before rotation' })
    const stuckQuery = await h.authorize(stuck.json.url!)
    h.sandbox.injectFaults({ error: { status: 503, count: 1 }, action: 'Pay' })
    expect((await h.returnWith(stuckQuery)).status).toBe(502)

    await h.restartSigner({
      ...newKey,
      previousAccessKeyId: oldKey.accessKeyId,
      previousSecretKey: oldKey.secretKey,
    })
    h.sandbox.state.credentials.delete(oldKey.accessKeyId)

    expect((await h.returnWith(startedQuery)).json.order?.status).toBe('success')
    const resumed = await h.returnWith(stuckQuery)
    expect(resumed.json.order?.status).toBe('success')
    expect(pays(stuck.json.callerReference!)).toHaveLength(1)
    expect(h.logs.some((line) => line.includes('request re-signed'))).toBe(true)
  })

  it('falls back to the previous pair for API calls while FPS does not know the new one yet', async () => {
    const unknown = newCallerKey()
    const walkedAway = await h.checkout({ amount: '3.50', reason: 'Recovered by the sweep' })
    await h.authorize(walkedAway.json.url!)
    await h.restartSigner({
      ...unknown,
      previousAccessKeyId: newKey.accessKeyId,
      previousSecretKey: newKey.secretKey,
    })
    const report = await h.signer.sweep()
    expect(report.recovered).toBe(1)
    expect(pays(walkedAway.json.callerReference!)).toHaveLength(1)
  })

  it('with a key FPS does not know, leaves the order open and pays once the key is fixed', async () => {
    const single = { previousAccessKeyId: undefined, previousSecretKey: undefined }
    await h.restartSigner({ ...newKey, ...single })
    const checkout = await h.checkout({ amount: '4.50', reason: 'Misconfigured' })
    const query = await h.authorize(checkout.json.url!)
    await h.restartSigner({ ...newCallerKey(), ...single })
    const refused = await h.returnWith(query)
    expect(refused.status).toBe(502)
    expect(refused.json.error?.message).toMatch(/InvalidClientTokenId/)
    expect(
      (await h.admin('/orders?status=created')).json.orders?.map((o) => o.callerReference)
    ).toContain(checkout.json.callerReference)
    await h.restartSigner(newKey)
    expect((await h.returnWith(query)).json.order?.status).toBe('success')
    expect(pays(checkout.json.callerReference!)).toHaveLength(1)
  })
})
