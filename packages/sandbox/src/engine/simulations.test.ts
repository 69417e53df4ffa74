import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, ref, singleUse, startSandbox, usd } from '../../test/harness.js'
import { isTemporaryDecline, SIMULATED_TOKENS } from './simulations.js'

let sandbox: Harness
beforeAll(async () => {
  sandbox = await startSandbox()
})
afterAll(() => sandbox.close())

describe('sandbox simulations', () => {
  it.each(Object.entries(SIMULATED_TOKENS.Sender))(
    'Pay with sender token %s fails with its simulated error',
    async (tokenId) => {
      const error = await sandbox
        .client()
        .pay({ SenderTokenId: tokenId, TransactionAmount: usd('1.00'), CallerReference: ref() })
        .catch((caught: unknown) => caught)
      expect(error).toMatchObject({
        code: expect.stringMatching(/^(UnverifiedEmailAddress|InvalidAccountState)_Sender$/),
      })
    }
  )

  it.each(Object.entries(SIMULATED_TOKENS.Recipient))(
    'Reserve with recipient token %s fails with its simulated error',
    async (tokenId) => {
      const sender = await sandbox.token(singleUse('1.00'))
      const error = await sandbox
        .client()
        .reserve({
          SenderTokenId: sender,
          RecipientTokenId: tokenId,
          TransactionAmount: usd('1.00'),
          CallerReference: ref(),
        })
        .catch((caught: unknown) => caught)
      expect(error).toMatchObject({ code: expect.stringMatching(/_Recipient$/) })
    }
  )

  it('recognises the N.6n temporary-decline amounts', () => {
    for (const cents of [10_060, 60, 261, 1965]) expect(isTemporaryDecline(cents)).toBe(true)
    for (const cents of [100, 6, 1_000, 259, 1_070]) expect(isTemporaryDecline(cents)).toBe(false)
  })

  it('declines an ABT payment of a temporary-decline amount at once and leaves the money and token alone', async () => {
    const alice = sandbox.sandbox.state.balance('buyer-alice')
    const tokenId = await sandbox.token(singleUse('2.61'))
    const client = sandbox.client()
    const result = await client.pay({
      SenderTokenId: tokenId,
      TransactionAmount: usd('2.61'),
      CallerReference: ref(),
    })
    expect(result.TransactionStatus).toBe('Failure')
    const status = await client.getTransactionStatus({ TransactionId: result.TransactionId })
    expect(status.StatusCode).toBe('TemporaryDecline')
    expect(sandbox.sandbox.state.balance('buyer-alice')).toBe(alice)
    const retry = await client.pay({
      SenderTokenId: tokenId,
      TransactionAmount: usd('2.00'),
      CallerReference: ref(),
    })
    expect(retry.TransactionStatus).toBe('Success')
  })

  it('clears a decline of N.6n after n tries on the same token, and never one of N.60', async () => {
    const client = sandbox.client()
    const tries = async (amount: string, count: number) => {
      const tokenId = await sandbox.token({
        pipelineName: 'Recurring',
        callerReference: ref(),
        returnURL: 'https://shop.example/return',
        transactionAmount: amount,
        recurringPeriod: '1 Day',
      })
      const statuses: string[] = []
      for (let attempt = 0; attempt < count; attempt += 1) {
        const result = await client.pay({
          SenderTokenId: tokenId,
          TransactionAmount: usd(amount),
          CallerReference: ref(),
        })
        statuses.push(result.TransactionStatus)
      }
      return statuses
    }
    await expect(tries('4.62', 3)).resolves.toEqual(['Failure', 'Failure', 'Success'])
    await expect(tries('4.60', 4)).resolves.toEqual(['Failure', 'Failure', 'Failure', 'Failure'])
  })

  it('declines a CC payment of 100.6 after it was Pending', async () => {
    const tokenId = await sandbox.token(singleUse('100.60'), {
      email: 'bob@buyer.example',
      method: 'CC',
    })
    const result = await sandbox
      .client()
      .pay({ SenderTokenId: tokenId, TransactionAmount: usd('100.6'), CallerReference: ref() })
    expect(result.TransactionStatus).toBe('Pending')
    await sandbox.process()
    const status = await sandbox
      .client()
      .getTransactionStatus({ TransactionId: result.TransactionId })
    expect(status).toMatchObject({ TransactionStatus: 'Failure', StatusCode: 'TemporaryDecline' })
  })
})
