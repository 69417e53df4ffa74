import { FpsClient } from '@fps-checkout/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type Harness,
  MARKET,
  ref,
  SHOP,
  singleUse,
  startSandbox,
  usd,
} from '../../test/harness.js'

let sandbox: Harness
let plain: Harness
beforeAll(async () => {
  sandbox = await startSandbox({ faults: true })
  plain = await startSandbox()
})
afterAll(() => Promise.all([sandbox.close(), plain.close()]))

const payments = () =>
  [...sandbox.sandbox.state.transactions.values()].filter((txn) => txn.operation === 'Pay').length

describe('CallerReference idempotency', () => {
  it('answers a resent request with the original response and executes nothing', async () => {
    const client = sandbox.client()
    const tokenId = await sandbox.token(singleUse('4.00'))
    const prepared = client.prepare('Pay', {
      SenderTokenId: tokenId,
      TransactionAmount: usd('4.00'),
      CallerReference: 'order-42',
    })
    const first = await client.send(prepared)
    const count = payments()
    const again = await client.send(prepared)
    expect(again).toEqual(first)
    const refreshed = await client.send(client.refresh(prepared))
    expect(refreshed.TransactionId).toBe(first.TransactionId)
    expect(payments()).toBe(count)
  })

  it('answers DuplicateRequest for a different request with a used CallerReference, across actions', async () => {
    const client = sandbox.client()
    const tokenId = await sandbox.token(singleUse('4.00'))
    const payment = await client.pay({
      SenderTokenId: tokenId,
      TransactionAmount: usd('4.00'),
      CallerReference: 'order-43',
    })
    await expect(
      client.pay({
        SenderTokenId: tokenId,
        TransactionAmount: usd('3.00'),
        CallerReference: 'order-43',
      })
    ).rejects.toMatchObject({
      code: 'DuplicateRequest',
      retriable: false,
    })
    await expect(
      client.refund({ TransactionId: payment.TransactionId, CallerReference: 'order-43' })
    ).rejects.toMatchObject({ code: 'DuplicateRequest' })
  })

  it('replays an error answer too: a failed request keeps its CallerReference', async () => {
    const client = sandbox.client()
    const tokenId = await sandbox.token(singleUse('6.00'), {
      email: 'dave@buyer.example',
      method: 'ABT',
    })
    const prepared = client.prepare('Pay', {
      SenderTokenId: tokenId,
      TransactionAmount: usd('6.00'),
      CallerReference: ref(),
    })
    const first = await client.send(prepared).catch((error: unknown) => error)
    const second = await client.send(prepared).catch((error: unknown) => error)
    expect(first).toMatchObject({ code: 'InsufficientBalance' })
    expect(second).toMatchObject({
      code: 'InsufficientBalance',
      requestId: (first as { requestId: string }).requestId,
    })
  })

  it('scopes CallerReferences to the caller', async () => {
    const mine = await sandbox.token(singleUse('1.00'))
    await sandbox
      .client()
      .pay({ SenderTokenId: mine, TransactionAmount: usd('1.00'), CallerReference: 'shared-ref' })
    const theirs = await sandbox.token(singleUse('2.00'), {}, MARKET)
    const result = await sandbox
      .client(MARKET)
      .pay({ SenderTokenId: theirs, TransactionAmount: usd('2.00'), CallerReference: 'shared-ref' })
    expect(result.TransactionStatus).toBe('Success')
  })
})

describe('fault injection', () => {
  it('is off unless the sandbox was created with faults: true: its endpoints are 404 and injectFaults throws', async () => {
    for (const method of ['GET', 'POST', 'DELETE']) {
      const response = await fetch(`${plain.url}/_sandbox/faults`, {
        method,
        ...(method === 'POST' && { body: JSON.stringify({ drop: { count: 1 } }) }),
      })
      expect(response.status).toBe(404)
    }
    expect(() => plain.sandbox.injectFaults({ drop: { count: 1 } })).toThrow(
      /Fault injection is off.*testControls: true.*--test-controls/
    )
    const tokenId = await plain.token(singleUse('1.00'))
    const paid = plain.client().pay({
      SenderTokenId: tokenId,
      TransactionAmount: usd('1.00'),
      CallerReference: ref(),
    })
    await expect(paid).resolves.toMatchObject({ TransactionStatus: 'Success' })
  })

  it('leaves Pending transactions to the processor unless faults: true lets a test complete them', async () => {
    const tokenId = await plain.token(singleUse('2.00'), {
      email: 'bob@buyer.example',
      method: 'CC',
    })
    const payment = await plain
      .client()
      .pay({ SenderTokenId: tokenId, TransactionAmount: usd('2.00'), CallerReference: ref() })
    const forced = await fetch(`${plain.url}/_sandbox/complete-pending`, { method: 'POST' })
    expect(forced.status).toBe(404)
    expect(
      (await plain.client().getTransactionStatus({ TransactionId: payment.TransactionId }))
        .TransactionStatus
    ).toBe('Pending')
  })

  it('drops the response after committing; the resend gets the committed result', async () => {
    const client = sandbox.client()
    const tokenId = await sandbox.token(singleUse('5.00'))
    const prepared = client.prepare('Pay', {
      SenderTokenId: tokenId,
      TransactionAmount: usd('5.00'),
      CallerReference: ref(),
    })
    sandbox.sandbox.injectFaults({ drop: { count: 1 } })
    await expect(client.send(prepared)).rejects.toMatchObject({
      code: 'NetworkFailure',
      retriable: true,
    })
    const committed = [...sandbox.sandbox.state.transactions.values()].find(
      (txn) => txn.senderTokenId === tokenId
    )
    expect(committed?.status).toBe('Success')
    const resent = await client.send(prepared)
    expect(resent.TransactionId).toBe(committed?.id)
  })

  it('strikes only the action a plan names, letting other calls through', async () => {
    const client = sandbox.client()
    const tokenId = await sandbox.token(singleUse('2.00'))
    sandbox.sandbox.injectFaults({ drop: { count: 1 }, action: 'Pay' })
    await expect(client.getTokenByCaller({ TokenId: tokenId })).resolves.toMatchObject({
      Token: [expect.objectContaining({ TokenId: tokenId })],
    })
    await expect(
      client.pay({ SenderTokenId: tokenId, TransactionAmount: usd('2.00'), CallerReference: ref() })
    ).rejects.toMatchObject({ code: 'NetworkFailure' })
    await expect(client.getAccountBalance()).resolves.toHaveProperty('AccountBalance')
  })

  it('answers 503 and 500 for the next calls without executing them, and the client retries through', async () => {
    const before = payments()
    sandbox.sandbox.injectFaults({ error: { status: 503, count: 2 } })
    await expect(sandbox.client().getAccountBalance()).rejects.toMatchObject({
      code: 'ServiceUnavailable',
      httpStatus: 503,
      retriable: true,
    })
    const tokenId = await sandbox.token(singleUse('1.00'))
    const retrying = new FpsClient({
      accessKeyId: SHOP.accessKeyId,
      secretKey: SHOP.secretKey,
      endpoint: `${sandbox.url}/`,
      maxRetries: 2,
      retryDelayMs: () => 5,
    })
    sandbox.sandbox.injectFaults({ error: { status: 500, count: 2 } })
    const result = await retrying.pay({
      SenderTokenId: tokenId,
      TransactionAmount: usd('1.00'),
      CallerReference: ref(),
    })
    expect(result.TransactionStatus).toBe('Success')
    expect(payments()).toBe(before + 1)
  })

  it('delays calls and is controlled through the admin endpoint', async () => {
    const armed = await fetch(`${sandbox.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ delay: { ms: 150, count: 1 } }),
    })
    expect(armed.status).toBe(200)
    const started = Date.now()
    await sandbox.client().getAccountBalance()
    expect(Date.now() - started).toBeGreaterThanOrEqual(140)
    const bad = await fetch(`${sandbox.url}/_sandbox/faults`, {
      method: 'POST',
      body: JSON.stringify({ error: { status: 418, count: 1 } }),
    })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_fault_plan' } })
    await fetch(`${sandbox.url}/_sandbox/faults`, {
      method: 'POST',
      body: JSON.stringify({ error: { status: 500, count: 5 } }),
    })
    await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'DELETE' })
    const armedNow = (await (await fetch(`${sandbox.url}/_sandbox/faults`)).json()) as {
      error: { count: number }
    }
    expect(armedNow.error.count).toBe(0)
  })

  it('completes Pending transactions on request and reports the queues', async () => {
    const tokenId = await sandbox.token(singleUse('2.00'), {
      email: 'bob@buyer.example',
      method: 'CC',
    })
    const payment = await sandbox
      .client()
      .pay({ SenderTokenId: tokenId, TransactionAmount: usd('2.00'), CallerReference: ref() })
    const before = (await (await fetch(`${sandbox.url}/_sandbox/queues`)).json()) as {
      pendingTransactions: number
    }
    expect(before.pendingTransactions).toBe(1)
    const after = (await (
      await fetch(`${sandbox.url}/_sandbox/complete-pending`, { method: 'POST' })
    ).json()) as { pendingTransactions: number }
    expect(after.pendingTransactions).toBe(0)
    expect(
      (await sandbox.client().getTransactionStatus({ TransactionId: payment.TransactionId }))
        .TransactionStatus
    ).toBe('Success')
  })
})
