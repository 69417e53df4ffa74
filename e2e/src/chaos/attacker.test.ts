import type { Store } from '@fps-checkout/signer'
import { Harness, RETURN_URL } from '@fps-checkout/signer/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Adversary, adversary, withAdversary } from './adversary.js'
import { type IpnRecorder, startIpnRecorder } from './ipn-recorder.js'
import { reconcile } from './reconcile.js'
import { openSignerStore, UNLIMITED_CHECKOUTS } from './rig.js'

/**
 * The findings of the security review, each as one test against the attacker of
 * docs/security.md: a caller account of their own on the same sandbox, every public page of the
 * FPS origin, every callerReference, and anything they like sent to the signer. What counts is
 * the order's state against the ledger, not the status codes.
 */

let h: Harness
let mallory: Adversary
let recorder: IpnRecorder
let store: Store

beforeAll(async () => {
  recorder = await startIpnRecorder()
  const { options, attacker } = withAdversary()
  h = await Harness.start({
    ...options,
    signer: {
      ...options.signer,
      ipnUrl: recorder.url,
      checkoutRateLimit: UNLIMITED_CHECKOUTS,
    },
    // card payments stay Pending until the test completes them
    sandbox: { settlementDelayMs: 600_000 },
  })
  mallory = adversary(h, attacker)
  store = openSignerStore(h.signerOptions.databaseUrl)
})
afterAll(async () => {
  await store?.close()
  await h?.close()
  await recorder?.close()
})

async function checkout(amount: string) {
  const { status, json } = await h.checkout({ amount, reason: 'Victim' })
  expect(status).toBe(200)
  return { url: json.url!, callerReference: json.callerReference! }
}

/** A card order its buyer authorized and returned from: pending until the card settles. */
async function pendingCardOrder(amount: string) {
  const order = await checkout(amount)
  const back = await h.returnWith(await h.authorize(order.url, { method: 'CC' }))
  expect(back.json.order?.status).toBe('pending')
  return { ...order, transactionId: back.json.order!.transactionId! }
}

async function statusOf(callerReference: string) {
  return (await h.orderAsAdmin(callerReference)).json.order?.status
}

/** Posts the IPNs FPS sent about `transactionId` to the signer, once at least one has come. */
async function deliverIpns(transactionId: string) {
  const about = () =>
    recorder.bodies.filter(
      (body) => new URLSearchParams(body.toString()).get('transactionId') === transactionId
    )
  const deadline = Date.now() + 10_000
  while (about().length === 0) {
    if (Date.now() > deadline) throw new Error(`No IPN about ${transactionId} came.`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return Promise.all(about().map((body) => h.postIpn(body.toString())))
}

async function settleCards() {
  h.sandbox.completePending()
  await h.sandbox.whenIdle()
}

describe('finding 1: a public key on an FPS page is not a certificate', () => {
  it.each([
    ['a SUCCESS IPN for a pending card order', 'SUCCESS'],
    ['a FAILURE IPN for a pending card order', 'FAILURE'],
  ])('refuses %s signed with the attacker’s key', async (_, transactionStatus) => {
    const victim = await pendingCardOrder('10.60')
    const certificateUrl = await mallory.plantedKeyUrl()
    const forged = mallory.forge(
      'POST',
      recorder.url,
      {
        notificationType: 'TransactionStatus',
        transactionId: victim.transactionId,
        transactionStatus,
        statusCode: transactionStatus === 'SUCCESS' ? 'Success' : 'TransientFailure',
        operation: 'PAY',
        callerReference: victim.callerReference,
        transactionAmount: 'USD 10.60',
      },
      certificateUrl
    )
    const answer = await h.postIpn(forged)
    expect(answer.status).toBe(403)
    expect(answer.json.error?.code).toBe('signature_invalid')
    expect(await statusOf(victim.callerReference)).toBe('pending')
  })

  it('refuses a forged abort return for another buyer’s order', async () => {
    const victim = await checkout('4.00')
    const forged = mallory.forge(
      'GET',
      RETURN_URL,
      { status: 'A', callerReference: victim.callerReference },
      await mallory.plantedKeyUrl()
    )
    expect((await h.returnWith(forged)).status).toBe(403)
    expect(await statusOf(victim.callerReference)).toBe('created')
  })
})

describe('finding 2: a genuine IPN about another caller’s transaction', () => {
  it('does not settle the merchant’s pending order; the order follows its own payment', async () => {
    const victim = await pendingCardOrder('9.99')
    const foreign = await mallory.foreignPay(victim.callerReference, recorder.url)
    const [answer] = await deliverIpns(foreign)
    expect(answer?.status).toBe(200)
    expect(answer?.json.result).toBe('ignored')
    expect(await statusOf(victim.callerReference)).toBe('pending')
    await settleCards()
    await deliverIpns(victim.transactionId)
    const order = (await h.orderAsAdmin(victim.callerReference)).json.order
    expect(order).toMatchObject({ status: 'success', transactionId: victim.transactionId })
  })
})

describe('finding 3: a genuine return from another caller', () => {
  it('is refused without a token and leaves the order open for its buyer', async () => {
    const victim = await checkout('2.50')
    const foreign = await h.returnWith(await mallory.foreignReturn(victim.callerReference))
    expect(foreign.status).toBe(403)
    expect(foreign.json.error?.code).toBe('return_not_bound')
    expect(foreign.json.accessToken).toBeUndefined()
    expect(await statusOf(victim.callerReference)).toBe('created')
    const back = await h.returnWith(await h.authorize(victim.url))
    expect(back.json.order).toMatchObject({ status: 'success', amount: '2.50' })
    const late = await h.returnWith(await mallory.foreignReturn(victim.callerReference))
    expect(late.status).toBe(403)
    expect(late.json.error?.code).toBe('return_not_bound')
    expect((await h.orderAsAdmin(victim.callerReference)).json.order).toEqual(
      expect.objectContaining({ status: 'success', transactionId: back.json.order?.transactionId })
    )
  })

  it('cancelled by the attacker, changes nothing and reveals nothing', async () => {
    const victim = await checkout('2.75')
    const query = await mallory.foreignReturn(victim.callerReference, { cancel: true })
    const foreign = await h.returnWith(query)
    expect(foreign.status).toBe(200)
    expect(Object.keys(foreign.json)).toEqual(['returned'])
    expect(await statusOf(victim.callerReference)).toBe('created')
  })

  it('cannot be made from an unsigned CBUI request: the sandbox signs nothing and redirects nowhere', async () => {
    const victim = await checkout('3.25')
    const unsigned = new URL(h.signer.config.cbuiUrl)
    for (const [name, value] of Object.entries({
      callerKey: mallory.key.accessKeyId,
      callerReference: victim.callerReference,
      returnURL: RETURN_URL,
      pipelineName: 'SingleUse',
      transactionAmount: '1.00',
      version: '2009-01-09',
    }))
      unsigned.searchParams.set(name, value)
    const answer = await fetch(unsigned, { redirect: 'manual' })
    expect(answer.status).toBeGreaterThanOrEqual(400)
    expect(answer.headers.get('location')).toBeNull()
    expect(await statusOf(victim.callerReference)).toBe('created')
  })
})

describe('finding 6: replays', () => {
  it('of one return answer one access token, however many', async () => {
    const { url } = await checkout('1.10')
    const query = await h.authorize(url)
    const answers = await Promise.all(Array.from({ length: 20 }, () => h.returnWith(query)))
    expect(new Set(answers.map((answer) => answer.json.accessToken)).size).toBe(1)
  })
})

describe('after every attack', () => {
  it('every order agrees with the ledger', async () => {
    await settleCards()
    for (const body of recorder.bodies) await h.postIpn(body.toString())
    await h.signer.sweep()
    expect(await reconcile(h, store)).toEqual([])
  })
})
