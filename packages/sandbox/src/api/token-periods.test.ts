import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, ref, startSandbox, usd } from '../../test/harness.js'

const DAY_MS = 86_400_000

let sandbox: Harness
beforeAll(async () => {
  sandbox = await startSandbox()
})
afterAll(() => sandbox.close())

const clock = () => sandbox.sandbox.clock

/** What every token request here carries: a fresh callerReference, and where the buyer returns. */
const fresh = () => ({ callerReference: ref('token'), returnURL: 'https://shop.example/return' })

/** Charges a token `amount` with a fresh CallerReference. */
const charge = (tokenId: string, amount: string) =>
  sandbox
    .client()
    .pay({ SenderTokenId: tokenId, TransactionAmount: usd(amount), CallerReference: ref('pay') })

/** The moment `days` after the sandbox's now. */
const daysAhead = (days: number) => new Date(clock().now().getTime() + days * DAY_MS)

describe('token periods follow the sandbox clock', () => {
  it('charges a monthly subscription once a period, three months in a row', async () => {
    const tokenId = await sandbox.token({
      pipelineName: 'Recurring',
      ...fresh(),
      transactionAmount: '4.99',
      recurringPeriod: '1 Month',
    })
    for (let month = 0; month < 3; month += 1) {
      await expect(charge(tokenId, '4.99')).resolves.toMatchObject({ TransactionStatus: 'Success' })
      await expect(charge(tokenId, '4.99')).rejects.toMatchObject({ code: 'TokenUsageError' })
      clock().advance(30 * DAY_MS)
    }
    const charged = [...sandbox.sandbox.state.transactions.values()].filter(
      (txn) => txn.senderTokenId === tokenId && txn.status === 'Success'
    )
    expect(charged).toHaveLength(3)
  })

  it("counts a Recurring token's periods from its start, so a charge late in one period does not hold back the next", async () => {
    const tokenId = await sandbox.token({
      pipelineName: 'Recurring',
      ...fresh(),
      transactionAmount: '4.99',
      recurringPeriod: '1 Week',
    })
    // the first week's charge comes six days late
    clock().advance(6 * DAY_MS)
    await expect(charge(tokenId, '4.99')).resolves.toMatchObject({ TransactionStatus: 'Success' })
    // a day later the second week has begun: its charge goes through, a second one does not
    clock().advance(DAY_MS + 60_000)
    await expect(charge(tokenId, '4.99')).resolves.toMatchObject({ TransactionStatus: 'Success' })
    await expect(charge(tokenId, '4.99')).rejects.toMatchObject({ code: 'TokenUsageError' })
  })

  it('resets a daily amount limit a day later, as GetTokenUsage reports', async () => {
    const tokenId = await sandbox.token({
      pipelineName: 'MultiUse',
      ...fresh(),
      globalAmountLimit: '100',
      usageLimitType1: 'Amount',
      usageLimitValue1: '10',
      usageLimitPeriod1: '1 Day',
    })
    const usage = async () =>
      (await sandbox.client().getTokenUsage({ TokenId: tokenId })).TokenUsageLimits?.[0]
    await charge(tokenId, '6.00')
    await expect(charge(tokenId, '5.00')).rejects.toMatchObject({ code: 'TokenUsageError' })
    expect((await usage())?.Amount).toEqual(usd('4.000000'))
    clock().advance(DAY_MS)
    const reset = await usage()
    expect(reset?.Amount).toEqual(usd('10.000000'))
    expect(Date.parse(reset?.LastResetTimestamp ?? '')).toBeGreaterThan(Date.now())
    await expect(charge(tokenId, '5.00')).resolves.toMatchObject({ TransactionStatus: 'Success' })
  })

  it('honours validityStart and validityExpiry by the clock', async () => {
    const tokenId = await sandbox.token({
      pipelineName: 'MultiUse',
      ...fresh(),
      globalAmountLimit: '50',
      validityStart: daysAhead(1),
      validityExpiry: daysAhead(3),
    })
    await expect(charge(tokenId, '1.00')).rejects.toMatchObject({
      code: 'TokenNotActive_Sender',
      message: expect.stringContaining('not valid yet'),
    })
    clock().advance(2 * DAY_MS)
    await expect(charge(tokenId, '1.00')).resolves.toMatchObject({ TransactionStatus: 'Success' })
    clock().advance(2 * DAY_MS)
    await expect(charge(tokenId, '1.00')).rejects.toMatchObject({
      code: 'TokenNotActive_Sender',
      message: expect.stringContaining('expired'),
    })
  })

  it('dates transactions and account activity by the clock', async () => {
    clock().advance(90 * DAY_MS)
    const since = new Date(clock().now().getTime() - 1000)
    const tokenId = await sandbox.token({
      pipelineName: 'MultiUse',
      ...fresh(),
      globalAmountLimit: '20',
    })
    const paid = await charge(tokenId, '2.00')
    const activity = await sandbox.client().getAccountActivity({ StartDate: since.toISOString() })
    expect(activity.Transaction?.map((txn) => txn.TransactionId)).toEqual([paid.TransactionId])
    expect(Date.parse(activity.Transaction?.[0]?.DateReceived ?? '')).toBeGreaterThanOrEqual(
      since.getTime()
    )
  })
})
