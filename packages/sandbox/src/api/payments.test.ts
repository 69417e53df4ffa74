import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, MARKET, ref, singleUse, startSandbox, usd } from '../../test/harness.js'

let sandbox: Harness
beforeAll(async () => {
  sandbox = await startSandbox()
})
afterAll(() => sandbox.close())

const balance = (accountId: string) => sandbox.sandbox.state.balance(accountId)
const SHOP_ACCOUNT = 'caller-test-shop'

async function pay(
  amount: string,
  method: 'ABT' | 'ACH' | 'CC' = 'ABT',
  email = 'alice@buyer.example'
) {
  const tokenId = await sandbox.token(singleUse(amount), { method, email })
  return sandbox
    .client()
    .pay({ SenderTokenId: tokenId, TransactionAmount: usd(amount), CallerReference: ref('pay') })
}

async function statusOf(transactionId: string) {
  return (await sandbox.client().getTransactionStatus({ TransactionId: transactionId }))
    .TransactionStatus
}

describe('Pay', () => {
  it('settles an ABT payment at once, moving the money from the buyer to the caller', async () => {
    const [alice, shop] = [balance('buyer-alice'), balance(SHOP_ACCOUNT)]
    const result = await pay('12.34')
    expect(result.TransactionStatus).toBe('Success')
    expect(result.TransactionId).toMatch(/^[A-Z0-9]{35}$/)
    expect(result.requestId).toMatch(/:0$/)
    expect(balance('buyer-alice')).toBe(alice - 1234)
    expect(balance(SHOP_ACCOUNT)).toBe(shop + 1234)
  })

  it('answers Pending for CC and completes when the processor answers', async () => {
    const shop = balance(SHOP_ACCOUNT)
    const result = await pay('5.00', 'CC', 'bob@buyer.example')
    expect(result.TransactionStatus).toBe('Pending')
    expect(balance(SHOP_ACCOUNT)).toBe(shop)
    await sandbox.process()
    expect(await statusOf(result.TransactionId)).toBe('Success')
    expect(balance(SHOP_ACCOUNT)).toBe(shop + 500)
    const { Transaction } = await sandbox
      .client()
      .getTransaction({ TransactionId: result.TransactionId })
    expect(
      Transaction.StatusHistory?.map((entry) => [entry.TransactionStatus, entry.StatusCode])
    ).toEqual([
      ['Pending', 'PendingNetworkResponse'],
      ['Success', 'Success'],
    ])
    expect(Transaction).toMatchObject({
      FPSOperation: 'Pay',
      PaymentMethod: 'CC',
      TransactionAmount: usd('5.000000'),
    })
  })

  it('spends a single-use token once', async () => {
    const tokenId = await sandbox.token(singleUse('2.00'))
    const client = sandbox.client()
    await client.pay({
      SenderTokenId: tokenId,
      TransactionAmount: usd('2.00'),
      CallerReference: ref(),
    })
    await expect(
      client.pay({ SenderTokenId: tokenId, TransactionAmount: usd('2.00'), CallerReference: ref() })
    ).rejects.toMatchObject({
      code: 'SameTokenIdUsedMultipleTimes',
      httpStatus: 400,
    })
  })

  it('refuses more than the buyer authorized, amounts out of range, and a short balance', async () => {
    const client = sandbox.client()
    const tokenId = await sandbox.token(singleUse('2.00'))
    await expect(
      client.pay({ SenderTokenId: tokenId, TransactionAmount: usd('2.01'), CallerReference: ref() })
    ).rejects.toMatchObject({ code: 'TokenUsageError' })
    await expect(
      client.pay({ SenderTokenId: tokenId, TransactionAmount: usd('0.00'), CallerReference: ref() })
    ).rejects.toMatchObject({ code: 'AmountOutOfRange' })
    const poor = await sandbox.token(singleUse('6.00'), {
      email: 'dave@buyer.example',
      method: 'ABT',
    })
    await expect(
      client.pay({ SenderTokenId: poor, TransactionAmount: usd('6.00'), CallerReference: ref() })
    ).rejects.toMatchObject({ code: 'InsufficientBalance' })
  })

  it("refuses another caller's token and a cancelled token", async () => {
    const tokenId = await sandbox.token(singleUse('1.00'))
    await expect(
      sandbox
        .client(MARKET)
        .pay({ SenderTokenId: tokenId, TransactionAmount: usd('1.00'), CallerReference: ref() })
    ).rejects.toMatchObject({ code: 'InvalidTokenId_Sender' })
    await sandbox.client().cancelToken({ TokenId: tokenId })
    await expect(sandbox.client().cancelToken({ TokenId: tokenId })).rejects.toMatchObject({
      code: 'TokenNotActive_Sender',
    })
    await expect(
      sandbox
        .client()
        .pay({ SenderTokenId: tokenId, TransactionAmount: usd('1.00'), CallerReference: ref() })
    ).rejects.toMatchObject({ code: 'TokenNotActive_Sender' })
    await expect(sandbox.client(MARKET).cancelToken({ TokenId: tokenId })).rejects.toMatchObject({
      code: 'InvalidTokenId',
    })
  })

  it('names the offending parameter for malformed and unknown parameters', async () => {
    const client = sandbox.client()
    await expect(
      client.pay({ SenderTokenId: 'X', TransactionAmount: usd('1.005'), CallerReference: ref() })
    ).rejects.toMatchObject({
      code: 'InvalidParams',
      message: expect.stringContaining('TransactionAmount.Value'),
    })
    await expect(
      client.call('Pay', {
        SenderTokenId: 'X',
        TransactionAmount: usd('1.00'),
        CallerReference: ref(),
        Bogus: '1',
      } as never)
    ).rejects.toMatchObject({
      code: 'InvalidRequest',
      message: expect.stringContaining('Bogus'),
    })
    await expect(
      client.call('Pay', { TransactionAmount: usd('1.00'), CallerReference: ref() } as never)
    ).rejects.toMatchObject({
      code: 'InvalidParams',
      message: 'SenderTokenId is required.',
    })
  })
})

describe('Reserve, Settle, Cancel', () => {
  async function reserve(amount: string, method: 'ABT' | 'CC' = 'ABT') {
    const tokenId = await sandbox.token(singleUse(amount, { reserve: true }), {
      method,
      email: method === 'CC' ? 'bob@buyer.example' : 'alice@buyer.example',
    })
    return sandbox.client().reserve({
      SenderTokenId: tokenId,
      TransactionAmount: usd(amount),
      CallerReference: ref('reserve'),
    })
  }

  it('holds the money, settles part of it once and releases the rest', async () => {
    const alice = balance('buyer-alice')
    const reserved = await reserve('10.00')
    expect(reserved.TransactionStatus).toBe('Reserved')
    expect(balance('buyer-alice')).toBe(alice - 1000)
    const client = sandbox.client()
    await expect(
      client.settle({
        ReserveTransactionId: reserved.TransactionId,
        TransactionAmount: usd('10.01'),
      })
    ).rejects.toMatchObject({
      code: 'SettleAmountGreaterThanReserveAmount',
    })
    const shop = balance(SHOP_ACCOUNT)
    const settled = await client.settle({
      ReserveTransactionId: reserved.TransactionId,
      TransactionAmount: usd('7.50'),
    })
    expect(settled.TransactionStatus).toBe('Success')
    expect(balance(SHOP_ACCOUNT)).toBe(shop + 750)
    expect(balance('buyer-alice')).toBe(alice - 750)
    await expect(
      client.settle({ ReserveTransactionId: reserved.TransactionId })
    ).rejects.toMatchObject({ code: 'InvalidTransactionState' })
    const detail = await client.getTransaction({ TransactionId: reserved.TransactionId })
    expect(detail.Transaction.RelatedTransaction).toEqual([
      { TransactionId: settled.TransactionId, RelationType: 'Settle' },
    ])
  })

  it('settles a CC reserve after the processor reserved it, asynchronously', async () => {
    const reserved = await reserve('4.00', 'CC')
    expect(reserved.TransactionStatus).toBe('Pending')
    await expect(
      sandbox.client().settle({ ReserveTransactionId: reserved.TransactionId })
    ).rejects.toMatchObject({ code: 'InvalidTransactionState' })
    await sandbox.process()
    expect(await statusOf(reserved.TransactionId)).toBe('Reserved')
    const settled = await sandbox.client().settle({ ReserveTransactionId: reserved.TransactionId })
    expect(settled.TransactionStatus).toBe('Pending')
    await sandbox.process()
    expect(await statusOf(settled.TransactionId)).toBe('Success')
  })

  it('cancels a reserve (money back) and a pending CC payment, but not a completed one', async () => {
    const alice = balance('buyer-alice')
    const reserved = await reserve('3.00')
    const cancelled = await sandbox.client().cancel({ TransactionId: reserved.TransactionId })
    expect(cancelled).toMatchObject({
      TransactionId: reserved.TransactionId,
      TransactionStatus: 'Cancelled',
    })
    expect(balance('buyer-alice')).toBe(alice)
    const pending = await pay('2.00', 'CC', 'bob@buyer.example')
    await sandbox.client().cancel({ TransactionId: pending.TransactionId })
    await sandbox.process()
    expect(await statusOf(pending.TransactionId)).toBe('Cancelled')
    const done = await pay('1.00')
    await expect(
      sandbox.client().cancel({ TransactionId: done.TransactionId })
    ).rejects.toMatchObject({ code: 'InvalidTransactionState' })
    await expect(
      sandbox.client().cancel({ TransactionId: 'NOSUCHTRANSACTION' })
    ).rejects.toMatchObject({ code: 'InvalidTransactionId' })
  })
})

describe('reserve expiry', () => {
  it('expires a reserve left unsettled, releasing the money', async () => {
    // the sandbox's clock runs ahead by `skipped`: the reserve's ten minutes pass at once
    let skipped = 0
    const short = await startSandbox({
      reserveExpiryMs: 10 * 60_000,
      now: () => new Date(Date.now() + skipped),
    })
    try {
      const alice = short.sandbox.state.balance('buyer-alice')
      const tokenId = await short.token(singleUse('6.00'))
      const client = short.client()
      const reserved = await client.reserve({
        SenderTokenId: tokenId,
        TransactionAmount: usd('6.00'),
        CallerReference: ref(),
      })
      expect(short.sandbox.state.balance('buyer-alice')).toBe(alice - 600)
      skipped = 10 * 60_000
      await short.process()
      expect(
        (await client.getTransactionStatus({ TransactionId: reserved.TransactionId })).StatusCode
      ).toBe('Expired')
      expect(
        (await client.getTransactionStatus({ TransactionId: reserved.TransactionId }))
          .TransactionStatus
      ).toBe('Cancelled')
      expect(short.sandbox.state.balance('buyer-alice')).toBe(alice)
      await expect(
        client.settle({ ReserveTransactionId: reserved.TransactionId })
      ).rejects.toMatchObject({ code: 'InvalidTransactionState' })
    } finally {
      await short.close()
    }
  })
})

describe('Refund', () => {
  it('refunds in parts, each with its own CallerReference, up to the payment', async () => {
    const payment = await pay('10.00')
    const client = sandbox.client()
    const alice = balance('buyer-alice')
    const first = await client.refund({
      TransactionId: payment.TransactionId,
      CallerReference: ref('refund'),
      RefundAmount: usd('4.00'),
    })
    expect(first.TransactionStatus).toBe('Success')
    expect(balance('buyer-alice')).toBe(alice + 400)
    await expect(
      client.refund({
        TransactionId: payment.TransactionId,
        CallerReference: ref('refund'),
        RefundAmount: usd('6.01'),
      })
    ).rejects.toMatchObject({ code: 'RefundAmountExceeded' })
    const rest = await client.refund({
      TransactionId: payment.TransactionId,
      CallerReference: ref('refund'),
    })
    expect(rest.TransactionStatus).toBe('Success')
    expect(balance('buyer-alice')).toBe(alice + 1000)
    await expect(
      client.refund({ TransactionId: payment.TransactionId, CallerReference: ref('refund') })
    ).rejects.toMatchObject({
      code: 'TransactionFullyRefundedAlready',
    })
    await expect(
      client.refund({ TransactionId: first.TransactionId, CallerReference: ref('refund') })
    ).rejects.toMatchObject({
      code: 'TransactionTypeNotRefundable',
    })
  })

  it('refuses to refund a payment that is still pending, and refunds CC asynchronously', async () => {
    const payment = await pay('3.00', 'CC', 'bob@buyer.example')
    await expect(
      sandbox.client().refund({ TransactionId: payment.TransactionId, CallerReference: ref() })
    ).rejects.toMatchObject({
      code: 'OriginalTransactionIncomplete',
    })
    await sandbox.process()
    const refund = await sandbox
      .client()
      .refund({ TransactionId: payment.TransactionId, CallerReference: ref() })
    expect(refund.TransactionStatus).toBe('Pending')
    const balances = await sandbox.client().getAccountBalance()
    expect(balances.AccountBalance?.PendingOutBalance).toEqual(usd('3.000000'))
    await sandbox.process()
    expect(await statusOf(refund.TransactionId)).toBe('Success')
  })
})

describe('Marketplace', () => {
  it('pays the recipient and the marketplace fee to the caller, within the fees the recipient accepted', async () => {
    const recipientToken = await sandbox.token(
      {
        pipelineName: 'Recipient',
        callerReference: ref('seller'),
        returnURL: 'https://market.example/r',
        recipientPaysFee: true,
        maxFixedFee: '1.00',
        maxVariableFee: '10',
      },
      { email: 'erin@buyer.example' },
      MARKET
    )
    const senderToken = await sandbox.token(singleUse('20.00'), {}, MARKET)
    const client = sandbox.client(MARKET)
    const base = {
      SenderTokenId: senderToken,
      RecipientTokenId: recipientToken,
      TransactionAmount: usd('20.00'),
    }
    await expect(
      client.pay({ ...base, CallerReference: ref(), MarketplaceVariableFee: '10.5' })
    ).rejects.toMatchObject({ code: 'IncompatibleTokens' })
    const [erin, market] = [balance('buyer-erin'), balance('caller-test-market')]
    await client.pay({
      ...base,
      CallerReference: ref(),
      MarketplaceFixedFee: usd('0.50'),
      MarketplaceVariableFee: '5',
    })
    expect(balance('caller-test-market')).toBe(market + 150)
    expect(balance('buyer-erin')).toBe(erin + 1850)
    expect(
      (await client.getRecipientVerificationStatus({ RecipientTokenId: recipientToken }))
        .RecipientVerificationStatus
    ).toBe('VerificationComplete')
    const erinPays = await sandbox.token(singleUse('1.00'), { email: 'erin@buyer.example' }, MARKET)
    await expect(
      client.pay({
        SenderTokenId: erinPays,
        RecipientTokenId: recipientToken,
        TransactionAmount: usd('1.00'),
        CallerReference: ref(),
      })
    ).rejects.toMatchObject({ code: 'SameSenderAndRecipient' })
  })
})

describe('MultiUse and Recurring tokens', () => {
  it('enforces the amount type, the count limit and the global limit', async () => {
    const tokenId = await sandbox.token({
      pipelineName: 'MultiUse',
      callerReference: ref('multi'),
      returnURL: 'https://shop.example/r',
      globalAmountLimit: '25',
      transactionAmount: '10',
      amountType: 'Maximum',
      usageLimitType1: 'Count',
      usageLimitValue1: '3',
    })
    const client = sandbox.client()
    const charge = (amount: string) =>
      client.pay({ SenderTokenId: tokenId, TransactionAmount: usd(amount), CallerReference: ref() })
    await expect(charge('10.01')).rejects.toMatchObject({ code: 'TokenUsageError' })
    await charge('10.00')
    await charge('10.00')
    await expect(charge('5.01')).rejects.toMatchObject({
      code: 'TokenUsageError',
      message: expect.stringContaining('global'),
    })
    await charge('5.00')
    const usage = await client.getTokenUsage({ TokenId: tokenId })
    expect(usage.TokenUsageLimits).toEqual([{ Count: '0' }])
    await expect(charge('0.01')).rejects.toMatchObject({ code: 'TokenUsageError' })
  })

  it('charges a recurring token once per period', async () => {
    const tokenId = await sandbox.token({
      pipelineName: 'Recurring',
      callerReference: ref('rec'),
      returnURL: 'https://shop.example/r',
      transactionAmount: '9.99',
      recurringPeriod: '1 Month',
    })
    const client = sandbox.client()
    await client.pay({
      SenderTokenId: tokenId,
      TransactionAmount: usd('9.99'),
      CallerReference: ref(),
    })
    await expect(
      client.pay({ SenderTokenId: tokenId, TransactionAmount: usd('9.99'), CallerReference: ref() })
    ).rejects.toMatchObject({
      code: 'TokenUsageError',
    })
  })
})
