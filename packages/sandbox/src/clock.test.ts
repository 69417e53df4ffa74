import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, ref, singleUse, startSandbox, usd } from '../test/harness.js'

const DAY_MS = 86_400_000

let sandbox: Harness
let plain: Harness
beforeAll(async () => {
  sandbox = await startSandbox({ testControls: true })
  plain = await startSandbox()
})
afterAll(() => Promise.all([sandbox.close(), plain.close()]))

/** Sends a clock change to `/_sandbox/clock` as a test in another process would. */
async function moveClock(target: Harness, change: unknown) {
  const response = await fetch(`${target.url}/_sandbox/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(change),
  })
  return { status: response.status, body: (await response.json().catch(() => null)) as unknown }
}

describe('the admin clock', () => {
  it('answers 404 without the test controls; in-process the clock still moves', async () => {
    expect((await fetch(`${plain.url}/_sandbox/clock`)).status).toBe(404)
    expect((await moveClock(plain, { advanceMs: 1000 })).status).toBe(404)
    expect(plain.sandbox.clock.offsetMs).toBe(0)
    plain.sandbox.clock.advance(1000)
    expect(plain.sandbox.clock.offsetMs).toBe(1000)
  })

  it('shows the time and offset, moves ahead by a duration or to a moment, never back', async () => {
    const before = (await (await fetch(`${sandbox.url}/_sandbox/clock`)).json()) as {
      now: string
      offsetMs: number
    }
    expect(before.offsetMs).toBe(0)
    expect(Math.abs(Date.parse(before.now) - Date.now())).toBeLessThan(1000)
    const advanced = await moveClock(sandbox, { advanceMs: DAY_MS })
    expect(advanced).toMatchObject({ status: 200, body: { offsetMs: DAY_MS } })
    const target = new Date(Date.now() + 3 * DAY_MS).toISOString()
    const moved = await moveClock(sandbox, { to: target })
    expect(moved.status).toBe(200)
    expect(Date.parse((moved.body as { now: string }).now)).toBeGreaterThanOrEqual(
      Date.parse(target)
    )
    const offset = sandbox.sandbox.clock.offsetMs
    expect(await moveClock(sandbox, { advanceMs: -1 })).toMatchObject({
      status: 400,
      body: { error: { code: 'clock_backwards' } },
    })
    expect(await moveClock(sandbox, { to: new Date().toISOString() })).toMatchObject({
      status: 400,
      body: { error: { code: 'clock_backwards' } },
    })
    for (const change of [{}, { advanceMs: 1, to: target }, { advanceMs: '1' }, { to: 'soon' }]) {
      expect(await moveClock(sandbox, change)).toMatchObject({
        status: 400,
        body: { error: { code: 'invalid_clock_change' } },
      })
    }
    expect(sandbox.sandbox.clock.offsetMs).toBe(offset)
    expect(() => sandbox.sandbox.clock.advance(-1)).toThrow(/only moves forward/)
  })
})

describe('what falls due when the clock moves', () => {
  it('expires a reserve once the clock passes its expiry, releasing the money', async () => {
    const client = sandbox.client()
    const alice = sandbox.sandbox.state.balance('buyer-alice')
    const tokenId = await sandbox.token(singleUse('6.00'))
    const reserved = await client.reserve({
      SenderTokenId: tokenId,
      TransactionAmount: usd('6.00'),
      CallerReference: ref(),
    })
    await moveClock(sandbox, { advanceMs: 6 * DAY_MS })
    const status = () => client.getTransactionStatus({ TransactionId: reserved.TransactionId })
    expect((await status()).TransactionStatus).toBe('Reserved')
    await moveClock(sandbox, { advanceMs: DAY_MS })
    expect(await status()).toMatchObject({ TransactionStatus: 'Cancelled', StatusCode: 'Expired' })
    expect(sandbox.sandbox.state.balance('buyer-alice')).toBe(alice)
  })

  it('completes a Pending card payment when the clock reaches the end of the settlement delay', async () => {
    const tokenId = await sandbox.token(singleUse('3.00'), {
      email: 'bob@buyer.example',
      method: 'CC',
    })
    const client = sandbox.client()
    const payment = await client.pay({
      SenderTokenId: tokenId,
      TransactionAmount: usd('3.00'),
      CallerReference: ref(),
    })
    expect(payment.TransactionStatus).toBe('Pending')
    const status = async () =>
      (await client.getTransactionStatus({ TransactionId: payment.TransactionId }))
        .TransactionStatus
    // the harness's 10-minute delay, all but 100 ms of it skipped: the wait left is re-timed
    sandbox.sandbox.clock.advance(600_000 - 100)
    expect(await status()).toBe('Pending')
    await sandbox.sandbox.whenIdle(2_000)
    expect(await status()).toBe('Success')
  })

  it('ends a payment-pages session an hour later by the clock', async () => {
    const started = await fetch(sandbox.cbuiUrl(singleUse('1.00')), { redirect: 'manual' })
    const page = new URL(started.headers.get('location') ?? '', sandbox.url)
    expect((await fetch(page)).status).toBe(200)
    sandbox.sandbox.clock.advance(60 * 60_000 + 1000)
    expect((await fetch(page)).status).toBe(404)
  })

  it('takes requests signed by the wall clock or by the sandbox’s, after a month’s advance', async () => {
    sandbox.sandbox.clock.advance(30 * DAY_MS)
    const tokenId = await sandbox.token(singleUse('2.00'))
    const shared = sandbox.client(undefined, { now: sandbox.sandbox.clock.now })
    const paid = await shared.pay({
      SenderTokenId: tokenId,
      TransactionAmount: usd('2.00'),
      CallerReference: ref(),
    })
    const { Transaction } = await sandbox
      .client()
      .getTransaction({ TransactionId: paid.TransactionId })
    const dated = Date.parse(Transaction.DateReceived ?? '')
    expect(Math.abs(dated - sandbox.sandbox.clock.now().getTime())).toBeLessThan(60_000)
  })
})
