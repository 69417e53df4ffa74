import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, MARKET, ref, startSandbox, usd } from '../../test/harness.js'

let sandbox: Harness
beforeAll(async () => {
  sandbox = await startSandbox()
})
afterAll(() => sandbox.close())

/** Runs a pipeline as Alice and answers the verified return parameters. */
async function setUp(request: Parameters<Harness['cbuiUrl']>[0], method: 'ABT' | 'CC' = 'ABT') {
  const back = await sandbox.walk(sandbox.cbuiUrl(request), { method })
  const params = Object.fromEntries(back.searchParams)
  await sandbox.verify('GET', `${back.origin}${back.pathname}`, params)
  return params
}

describe('prepaid', () => {
  it('funds a prepaid instrument up to its limit and pays from it', async () => {
    const back = await setUp({
      pipelineName: 'SetupPrepaid',
      callerReferenceFunding: ref('funding'),
      callerReferenceSender: ref('prepaid'),
      returnURL: 'https://shop.example/prepaid',
      fundingAmount: '50',
    })
    expect(back.status).toBe('SA')
    const { fundingTokenID = '', prepaidSenderTokenID = '', prepaidInstrumentID = '' } = back
    const client = sandbox.client()
    const fund = (amount: string) =>
      client.fundPrepaid({
        SenderTokenId: fundingTokenID,
        PrepaidInstrumentId: prepaidInstrumentID,
        FundingAmount: usd(amount),
        CallerReference: ref(),
      })
    expect((await fund('30.00')).TransactionStatus).toBe('Success')
    await expect(fund('20.01')).rejects.toMatchObject({ code: 'PrepaidFundingLimitExceeded' })
    const payFrom = (amount: string) =>
      client.pay({
        SenderTokenId: prepaidSenderTokenID,
        TransactionAmount: usd(amount),
        CallerReference: ref(),
      })
    const payment = await payFrom('12.50')
    expect(payment.TransactionStatus).toBe('Success')
    await expect(payFrom('17.51')).rejects.toMatchObject({ code: 'InsufficientBalance' })
    const balance = await client.getPrepaidBalance({ PrepaidInstrumentId: prepaidInstrumentID })
    expect(balance.PrepaidBalance).toEqual({
      AvailableBalance: usd('17.500000'),
      PendingInBalance: usd('0.000000'),
    })
    await client.refund({
      TransactionId: payment.TransactionId,
      CallerReference: ref(),
      RefundAmount: usd('2.50'),
    })
    const liability = await client.getTotalPrepaidLiability()
    expect(liability.OutstandingPrepaidLiability?.OutstandingBalance).toEqual(usd('20.000000'))
    const detail = await client.getTransaction({ TransactionId: payment.TransactionId })
    expect(detail.Transaction).toMatchObject({
      PaymentMethod: 'Prepaid',
      PrepaidInstrumentId: prepaidInstrumentID,
    })
  })

  it('keeps funding and prepaid tokens to their purpose, and instruments to their caller', async () => {
    const back = await setUp({
      pipelineName: 'SetupPrepaid',
      callerReferenceFunding: ref('funding'),
      callerReferenceSender: ref('prepaid'),
      returnURL: 'https://shop.example/prepaid',
      fundingAmount: '10',
    })
    const client = sandbox.client()
    await expect(
      client.pay({
        SenderTokenId: back.fundingTokenID ?? '',
        TransactionAmount: usd('1.00'),
        CallerReference: ref(),
      })
    ).rejects.toMatchObject({
      code: 'InvalidTokenType',
    })
    await expect(
      client.reserve({
        SenderTokenId: back.prepaidSenderTokenID ?? '',
        TransactionAmount: usd('1.00'),
        CallerReference: ref(),
      })
    ).rejects.toMatchObject({
      code: 'InvalidTokenType',
    })
    await expect(
      client.fundPrepaid({
        SenderTokenId: back.prepaidSenderTokenID ?? '',
        PrepaidInstrumentId: back.prepaidInstrumentID ?? '',
        FundingAmount: usd('1.00'),
        CallerReference: ref(),
      })
    ).rejects.toMatchObject({ code: 'IncompatibleTokens' })
    await expect(
      sandbox
        .client(MARKET)
        .getPrepaidBalance({ PrepaidInstrumentId: back.prepaidInstrumentID ?? '' })
    ).rejects.toMatchObject({ code: 'InvalidParams' })
  })

  it('funds by credit card asynchronously', async () => {
    const back = await setUp(
      {
        pipelineName: 'SetupPrepaid',
        callerReferenceFunding: ref('funding'),
        callerReferenceSender: ref('prepaid'),
        returnURL: 'https://shop.example/prepaid',
        fundingAmount: '10',
        paymentMethod: 'CC',
      },
      'CC'
    )
    expect(back.status).toBe('SC')
    const client = sandbox.client()
    const funding = await client.fundPrepaid({
      SenderTokenId: back.fundingTokenID ?? '',
      PrepaidInstrumentId: back.prepaidInstrumentID ?? '',
      FundingAmount: usd('10.00'),
      CallerReference: ref(),
    })
    expect(funding.TransactionStatus).toBe('Pending')
    expect(
      (await client.getPrepaidBalance({ PrepaidInstrumentId: back.prepaidInstrumentID ?? '' }))
        .PrepaidBalance?.PendingInBalance
    ).toEqual(usd('10.000000'))
    await sandbox.process()
    expect(
      (await client.getPrepaidBalance({ PrepaidInstrumentId: back.prepaidInstrumentID ?? '' }))
        .PrepaidBalance?.AvailableBalance
    ).toEqual(usd('10.000000'))
  })
})

describe('postpaid', () => {
  it('charges a credit line up to its limit, then settles and writes off the debt', async () => {
    const back = await setUp({
      pipelineName: 'SetupPostpaid',
      callerReferenceSender: ref('credit'),
      callerReferenceSettlement: ref('settlement'),
      returnURL: 'https://shop.example/postpaid',
      creditLimit: '20',
      globalAmountLimit: '100',
    })
    expect(back.status).toBe('SA')
    const { creditSenderTokenID = '', settlementTokenID = '', creditInstrumentID = '' } = back
    const client = sandbox.client()
    const shop = sandbox.sandbox.state.balance('caller-test-shop')
    const buy = (amount: string) =>
      client.pay({
        SenderTokenId: creditSenderTokenID,
        TransactionAmount: usd(amount),
        CallerReference: ref(),
      })
    await buy('15.00')
    await expect(buy('5.01')).rejects.toMatchObject({ code: 'AccountLimitsExceeded' })
    expect(sandbox.sandbox.state.balance('caller-test-shop')).toBe(shop + 1500)
    expect(
      (await client.getDebtBalance({ CreditInstrumentId: creditInstrumentID })).DebtBalance
        ?.AvailableBalance
    ).toEqual(usd('15.000000'))
    const settle = (amount: string) =>
      client.settleDebt({
        SenderTokenId: settlementTokenID,
        CreditInstrumentId: creditInstrumentID,
        SettlementAmount: usd(amount),
        CallerReference: ref(),
      })
    await expect(settle('15.01')).rejects.toMatchObject({ code: 'SettleAmountGreaterThanDebt' })
    expect((await settle('10.00')).TransactionStatus).toBe('Success')
    const writeOff = await client.writeOffDebt({
      CreditInstrumentId: creditInstrumentID,
      AdjustmentAmount: usd('5.00'),
      CallerReference: ref(),
    })
    expect(writeOff.TransactionStatus).toBe('Success')
    expect(sandbox.sandbox.state.balance('caller-test-shop')).toBe(shop + 1000)
    const outstanding = await client.getOutstandingDebtBalance()
    expect(outstanding.OutstandingDebt?.OutstandingBalance).toEqual(usd('0.000000'))
    await expect(
      client.writeOffDebt({
        CreditInstrumentId: creditInstrumentID,
        AdjustmentAmount: usd('0.01'),
        CallerReference: ref(),
      })
    ).rejects.toMatchObject({
      code: 'SettleAmountGreaterThanDebt',
    })
    expect(sandbox.sandbox.state.ledger.total()).toBe(0)
  })

  it('answers a resent setup request with the same tokens', async () => {
    const request = {
      pipelineName: 'SetupPostpaid' as const,
      callerReferenceSender: ref('credit'),
      callerReferenceSettlement: ref('settlement'),
      returnURL: 'https://shop.example/postpaid',
      creditLimit: '20',
      globalAmountLimit: '100',
    }
    const first = await setUp(request)
    const again = await setUp(request)
    expect(again.creditSenderTokenID).toBe(first.creditSenderTokenID)
    expect(again.creditInstrumentID).toBe(first.creditInstrumentID)
  })
})
