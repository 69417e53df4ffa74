import { join } from 'node:path'
import { Harness, RETURN_URL, startSignerProcess, testClock } from '@fps-checkout/signer/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

let h: Harness

beforeAll(async () => {
  h = await Harness.start({
    signer: { maxRetries: 0, ipnUrl: 'http://127.0.0.1:9/ipn' },
    sandbox: { faults: true },
  })
})
afterAll(() => h?.close())

async function authorized(harness: Harness, amount = '2.00') {
  const { json } = await harness.checkout({ amount, reason: 'Resilience' })
  return { callerReference: json.callerReference!, query: await harness.authorize(json.url!) }
}

function pays(harness: Harness, callerReference: string) {
  return harness.transactions(callerReference).filter((txn) => txn.operation === 'Pay')
}

describe('a lost Pay response', () => {
  it('is absorbed by resending the same request when retries are on', async () => {
    const retrying = await Harness.start({ sandbox: { faults: true } })
    try {
      const { callerReference, query } = await authorized(retrying)
      retrying.sandbox.injectFaults({ drop: { count: 1 }, action: 'Pay' })
      const back = await retrying.returnWith(query)
      expect(back.json.order?.status).toBe('success')
      expect(pays(retrying, callerReference)).toHaveLength(1)
    } finally {
      await retrying.close()
    }
  })

  it('leaves the order pending with a retriable 502, and the next return resends the stored request', async () => {
    const { callerReference, query } = await authorized(h)
    h.sandbox.injectFaults({ drop: { count: 1 }, action: 'Pay' })
    const lost = await h.returnWith(query)
    expect(lost.status).toBe(502)
    expect(lost.json.error).toMatchObject({ code: 'upstream_error', retriable: true })
    expect(pays(h, callerReference)).toHaveLength(1)
    const order = await h.admin(`/orders?status=pending`)
    expect(order.json.orders?.map((o) => o.callerReference)).toContain(callerReference)
    const again = await h.returnWith(query)
    expect(again.json.order?.status).toBe('success')
    expect(again.json.order?.transactionId).toBe(pays(h, callerReference)[0]?.id)
    expect(pays(h, callerReference)).toHaveLength(1)
  })

  it('of a card payment that settled meanwhile: the resend’s replayed Pending is checked with FPS', async () => {
    const { json } = await h.checkout({ amount: '2.25', reason: 'Resilience' })
    const callerReference = json.callerReference!
    const query = await h.authorize(json.url!, { method: 'CC' })
    h.sandbox.injectFaults({ drop: { count: 1 }, action: 'Pay' })
    expect((await h.returnWith(query)).status).toBe(502)
    h.sandbox.completePending()
    expect(pays(h, callerReference)).toEqual([expect.objectContaining({ status: 'Success' })])
    const again = await h.returnWith(query)
    expect(again.json.order?.status).toBe('success')
    expect(pays(h, callerReference)).toHaveLength(1)
  })

  it('after a 503, is sent again by the sweep once the lease lapses', async () => {
    const { callerReference, query } = await authorized(h)
    h.sandbox.injectFaults({ error: { status: 503, count: 1 }, action: 'Pay' })
    expect((await h.returnWith(query)).status).toBe(502)
    expect(pays(h, callerReference)).toHaveLength(0)
    const report = await h.signer.sweep()
    expect(report.resent).toBeGreaterThanOrEqual(1)
    const { json } = await h.returnWith(query)
    expect(json.order?.status).toBe('success')
    expect(pays(h, callerReference)).toHaveLength(1)
  })
})

describe('an unreachable certificate', () => {
  it('answers a retriable 502 and charges nothing until the certificate can be fetched', async () => {
    let certificatesDown = true
    const offline = await Harness.start({
      signer: {
        fetch: (input, init) =>
          certificatesDown && String(input).includes('/certs/')
            ? Promise.reject(new TypeError('fetch failed'))
            : fetch(input, init),
      },
    })
    try {
      const { callerReference, query } = await authorized(offline)
      const refused = await offline.returnWith(query)
      // not a rejection: the return stays valid, and the return page keeps it to try again
      expect(refused.status).toBe(502)
      expect(refused.json.error).toMatchObject({ code: 'upstream_error', retriable: true })
      expect(pays(offline, callerReference)).toHaveLength(0)
      certificatesDown = false
      expect((await offline.returnWith(query)).json.order?.status).toBe('success')
    } finally {
      await offline.close()
    }
  })
})

describe('a hung FPS', () => {
  it('answers the buyer by the deadline, and a reload never sends the stored Pay a second time meanwhile', async () => {
    let sent = 0
    // FPS hangs on the Pay until the test has seen both answers
    let answerPay = () => {}
    const held = new Promise<void>((resolve) => {
      answerPay = resolve
    })
    const hangingPay: typeof fetch = async (input, init) => {
      if (String(init?.body).includes('Action=Pay')) {
        sent += 1
        await held
      }
      return fetch(input, init)
    }
    const hung = await Harness.start({
      signer: { fetch: hangingPay, leaseMs: 300, answerWithinMs: 500 },
    })
    try {
      const { callerReference, query } = await authorized(hung)
      const started = Date.now()
      const [first, reload] = await Promise.all([
        hung.returnWith(query),
        // the buyer reloads once the first return's Pay is out
        until(() => sent === 1).then(() => hung.returnWith(query)),
      ])
      expect(Date.now() - started).toBeLessThan(2_500)
      expect(first.json.order?.status).toBe('pending')
      expect(reload.json.order?.status).toBe('pending')
      expect(sent).toBe(1)
      answerPay()
      const paid = await hung.waitForOrder(
        callerReference,
        first.json.accessToken!,
        (order) => order.status === 'success'
      )
      expect(paid.transactionId).toBe(pays(hung, callerReference)[0]?.id)
      expect(sent).toBe(1)
    } finally {
      answerPay()
      await hung.close()
    }
  })
})

describe('an IPN that overtakes the Pay answer', () => {
  it('answers 503 operation_in_flight while the answer is missing, and applies once it is stored', async () => {
    const ipnUrl = 'http://127.0.0.1:9/ipn'
    // FPS's answer to the Pay reaches the signer only once the test has posted the early IPN
    let deliverAnswer = () => {}
    const answered = new Promise<void>((resolve) => {
      deliverAnswer = resolve
    })
    const slowAnswer: typeof fetch = async (input, init) => {
      const response = await fetch(input, init)
      if (String(init?.body).includes('Action=Pay')) await answered
      return response
    }
    const slow = await Harness.start({ signer: { fetch: slowAnswer, ipnUrl } })
    try {
      const { callerReference, query } = await authorized(slow)
      const returned = slow.returnWith(query)
      await until(() => pays(slow, callerReference).length === 1)
      const [pay] = pays(slow, callerReference)
      const ipn = slow.signOutbound('POST', ipnUrl, {
        notificationType: 'TransactionStatus',
        transactionId: pay!.id,
        transactionStatus: 'SUCCESS',
        operation: 'PAY',
        callerReference,
        // FPS wrote amounts to six decimals as often as to two
        transactionAmount: 'USD 2.000000',
      })
      const early = await slow.postIpn(ipn)
      expect(early.status).toBe(503)
      expect(early.json.error?.code).toBe('operation_in_flight')
      deliverAnswer()
      expect((await returned).json.order?.status).toBe('success')
      expect((await slow.postIpn(ipn)).json.result).toBe('applied')
    } finally {
      deliverAnswer()
      await slow.close()
    }
  })
})

describe('a signer killed between sending Pay and storing the answer', () => {
  it('resends the stored request after a restart, and the buyer is charged once', async () => {
    const dir = h.dir
    const options = {
      ...h.key,
      apiUrl: `${h.sandboxUrl}/`,
      returnUrl: RETURN_URL,
      databaseUrl: `file:${join(dir, 'killed.db')}`,
      leaseMs: 1_000,
    }
    let child = await startSignerProcess(options)
    try {
      const checkout = await fetch(`${child.url}/checkout`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ amount: '3.00', reason: 'Killed' }),
      })
      const { url, callerReference } = (await checkout.json()) as {
        url: string
        callerReference: string
      }
      const query = await h.authorize(url)
      h.sandbox.injectFaults({ drop: { count: 100 }, action: 'Pay' })
      const inFlight = postReturn(child.url, query).catch(() => 'connection lost')
      await until(() => pays(h, callerReference).length === 1)
      await child.kill()
      expect(await inFlight).toBe('connection lost')
      h.sandbox.clearFaults()
      child = await startSignerProcess(options)
      const back = await postReturn(child.url, query)
      expect(back.order.status).toBe('success')
      expect(pays(h, callerReference)).toHaveLength(1)
      expect(back.order.transactionId).toBe(pays(h, callerReference)[0]?.id)
    } finally {
      h.sandbox.clearFaults()
      await child.kill()
    }
  }, 30_000)
})

describe('the reconciliation sweep', () => {
  it('charges a buyer who authorized but never came back, and expires one who never authorized', async () => {
    const clock = testClock()
    const sweeping = await Harness.start({
      signer: { recoverAfterMs: 1, checkoutTtlMs: 400, now: clock.now },
    })
    try {
      const { callerReference: authorizedOnly } = await authorized(sweeping)
      const { json } = await sweeping.checkout({ amount: '1.00', reason: 'Walked away' })
      const abandoned = json.callerReference!
      clock.advance(450)
      const report = await sweeping.signer.sweep()
      expect(report).toMatchObject({ recovered: 1, expired: 1, failed: 0 })
      const orders = (await sweeping.admin('/orders')).json.orders ?? []
      const status = (ref: string) => orders.find((o) => o.callerReference === ref)?.status
      expect(status(authorizedOnly)).toBe('success')
      expect(status(abandoned)).toBe('expired')
      expect(pays(sweeping, authorizedOnly)).toHaveLength(1)
      expect((await sweeping.signer.sweep()).recovered).toBe(0)
    } finally {
      await sweeping.close()
    }
  })

  it('asks FPS about payments left pending when no IPN arrives', async () => {
    const deaf = await Harness.start({
      signer: { recoverAfterMs: 1, ipnUrl: 'http://127.0.0.1:9/ipn' },
    })
    try {
      const checkout = await deaf.checkout({ amount: '7.00', reason: 'Card' })
      const callerReference = checkout.json.callerReference!
      const { json } = await deaf.returnWith(
        await deaf.authorize(checkout.json.url!, { method: 'CC' })
      )
      expect(json.order?.status).toBe('pending')
      await deaf.sandbox.whenIdle()
      const report = await deaf.signer.sweep()
      expect(report.settled).toBe(1)
      const order = await deaf.order(callerReference, json.accessToken!)
      expect(order.json.order?.status).toBe('success')
      expect(order.json.order?.history?.at(-1)?.note).toMatch(/^GetTransactionStatus: Success/)
      expect(pays(deaf, callerReference)).toHaveLength(1)
    } finally {
      await deaf.close()
    }
  })
})

async function postReturn(signerUrl: string, query: string) {
  const response = await fetch(`${signerUrl}/return`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  })
  return (await response.json()) as { order: { status: string; transactionId?: string } }
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('The condition never held.')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}
