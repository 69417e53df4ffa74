import { parseIpn } from '@fps-checkout/protocol'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  type Harness,
  type IpnReceiver,
  ref,
  SHOP,
  singleUse,
  startIpnReceiver,
  startSandbox,
  usd,
} from '../../test/harness.js'

let receiver: IpnReceiver
let sandbox: Harness
const logged: string[] = []
beforeAll(async () => {
  receiver = await startIpnReceiver()
  sandbox = await startSandbox({
    callers: [{ ...SHOP, ipnUrl: receiver.url }],
    settlementDelayMs: 40,
    log: (line) => logged.push(line),
  })
})
afterAll(async () => {
  await sandbox.close()
  await receiver.close()
})
afterEach(async () => {
  await sandbox.sandbox.whenIdle()
  receiver.received.length = 0
  receiver.answers.length = 0
})

describe('IPN delivery', () => {
  it('posts PENDING, then SUCCESS once the settlement delay passes, signed over the IPN URL with verb POST', async () => {
    const tokenId = await sandbox.token(singleUse('5.00', { paymentReason: 'Now and Forever' }), {
      email: 'bob@buyer.example',
      method: 'CC',
    })
    const payment = await sandbox.client().pay({
      SenderTokenId: tokenId,
      TransactionAmount: usd('5.00'),
      CallerReference: 'ipn-order-1',
    })
    const [pending, success] = await receiver.waitFor(2)
    for (const ipn of [pending, success]) await sandbox.verify('POST', receiver.url, ipn ?? {})
    expect(pending).toMatchObject({
      transactionStatus: 'PENDING',
      statusCode: 'PendingNetworkResponse',
      operation: 'PAY',
    })
    expect(success).toMatchObject({
      notificationType: 'TransactionStatus',
      transactionId: payment.TransactionId,
      transactionStatus: 'SUCCESS',
      statusCode: 'Success',
      callerReference: 'ipn-order-1',
      transactionAmount: 'USD 5.00',
      paymentMethod: 'CC',
      paymentReason: 'Now and Forever',
      buyerEmail: 'bob@buyer.example',
      signatureMethod: 'RSA-SHA1',
      signatureVersion: '2',
    })
    expect(parseIpn(success ?? {})).toMatchObject({ notificationType: 'TransactionStatus' })
    await expect(sandbox.verify('POST', `${receiver.url}x`, success ?? {})).rejects.toThrow()
  })

  it('retries with backoff until the receiver answers 2xx', async () => {
    receiver.answers.push(500, 503)
    const tokenId = await sandbox.token(singleUse('1.00'))
    await sandbox
      .client()
      .pay({ SenderTokenId: tokenId, TransactionAmount: usd('1.00'), CallerReference: ref() })
    const [ipn] = await receiver.waitFor(1)
    expect(ipn?.transactionStatus).toBe('SUCCESS')
    expect(receiver.answers).toEqual([])
  })

  it('gives up after the configured attempts and says so in the log', async () => {
    receiver.answers.push(500, 500, 500, 500)
    const tokenId = await sandbox.token(singleUse('1.00'))
    await sandbox
      .client()
      .pay({ SenderTokenId: tokenId, TransactionAmount: usd('1.00'), CallerReference: ref() })
    await sandbox.sandbox.whenIdle()
    expect(receiver.received).toEqual([])
    expect(logged.at(-1)).toMatch(/abandoned after 4 attempts: HTTP 500/)
  })

  it('sends to OverrideIPNURL, and notifies refunds, settles, cancellations and token cancellation', async () => {
    const other = await startIpnReceiver()
    try {
      const client = sandbox.client()
      const tokenId = await sandbox.token(singleUse('8.00'))
      const reserve = await client.reserve({
        SenderTokenId: tokenId,
        TransactionAmount: usd('8.00'),
        CallerReference: ref(),
        OverrideIPNURL: other.url,
      })
      const [reserved] = await other.waitFor(1)
      expect(reserved).toMatchObject({ transactionStatus: 'RESERVED', operation: 'RESERVE' })
      const settle = await client.settle({ ReserveTransactionId: reserve.TransactionId })
      await client.refund({
        TransactionId: settle.TransactionId,
        CallerReference: ref(),
        RefundAmount: usd('2.00'),
      })
      await other.waitFor(4)
      expect(other.received.slice(1).map((ipn) => [ipn.operation, ipn.transactionStatus])).toEqual(
        expect.arrayContaining([
          ['RESERVE', 'SUCCESS'],
          ['SETTLE', 'SUCCESS'],
          ['REFUND', 'SUCCESS'],
        ])
      )
      const refundIpn = other.received.find((ipn) => ipn.operation === 'REFUND')
      expect(refundIpn?.parentTransactionId).toBe(settle.TransactionId)
      await client.cancelToken({ TokenId: tokenId })
      const [cancelled] = await receiver.waitFor(1)
      expect(cancelled).toMatchObject({
        notificationType: 'TokenCancellation',
        tokenId,
        tokenType: 'SingleUse',
      })
      await sandbox.verify('POST', receiver.url, cancelled ?? {})
    } finally {
      await other.close()
    }
  })
})
