import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, MARKET, ref, singleUse, startSandbox, usd } from '../../test/harness.js'

let sandbox: Harness
beforeAll(async () => {
  sandbox = await startSandbox()
})
afterAll(() => sandbox.close())

describe('token queries', () => {
  it('finds a token by TokenId or CallerReference, lists and filters tokens', async () => {
    const tokenId = await sandbox.token(singleUse('1.00', { callerReference: 'find-me' }))
    const client = sandbox.client()
    const byId = await client.getTokenByCaller({ TokenId: tokenId })
    expect(byId.Token?.[0]).toMatchObject({
      TokenId: tokenId,
      TokenStatus: 'Active',
      TokenType: 'SingleUse',
      CallerReference: 'find-me',
    })
    expect(
      (await client.getTokenByCaller({ CallerReference: 'find-me' })).Token?.[0]?.TokenId
    ).toBe(tokenId)
    await expect(client.getTokenByCaller({ CallerReference: 'never-used' })).rejects.toMatchObject({
      code: 'InvalidCallerReference',
    })
    await expect(
      sandbox.client(MARKET).getTokenByCaller({ TokenId: tokenId })
    ).rejects.toMatchObject({ code: 'InvalidTokenId' })
    await client.cancelToken({ TokenId: tokenId })
    const inactive = await client.getTokens({ TokenStatus: 'Inactive' })
    expect(inactive.Token?.map((token) => token.TokenId)).toEqual([tokenId])
    await expect(client.getTokenUsage({ TokenId: tokenId })).rejects.toMatchObject({
      code: 'InvalidTokenType',
    })
  })
})

describe('transaction queries', () => {
  it("answers InvalidTransactionId for unknown ids and for another caller's transactions", async () => {
    const tokenId = await sandbox.token(singleUse('1.00'))
    const payment = await sandbox
      .client()
      .pay({ SenderTokenId: tokenId, TransactionAmount: usd('1.00'), CallerReference: ref() })
    await expect(
      sandbox.client().getTransactionStatus({ TransactionId: 'NOSUCHTRANSACTION' })
    ).rejects.toMatchObject({
      code: 'InvalidTransactionId',
      message: 'transactionId has to be a valid transaction ID. Specified value: NOSUCHTRANSACTION',
    })
    await expect(
      sandbox.client(MARKET).getTransaction({ TransactionId: payment.TransactionId })
    ).rejects.toMatchObject({ code: 'InvalidTransactionId' })
    await expect(
      sandbox
        .client(MARKET)
        .refund({ TransactionId: payment.TransactionId, CallerReference: ref() })
    ).rejects.toMatchObject({ code: 'InvalidTransactionId' })
    await expect(
      sandbox.client().getRecipientVerificationStatus({ RecipientTokenId: tokenId })
    ).rejects.toMatchObject({ code: 'InvalidTokenId_Recipient' })
  })
})

describe('account queries', () => {
  it('reports balances, and activity filtered, sorted and batched', async () => {
    const client = sandbox.client(MARKET)
    const start = new Date(Date.now() - 1000).toISOString()
    for (const amount of ['1.00', '2.00', '3.00']) {
      const tokenId = await sandbox.token(singleUse(amount), {}, MARKET)
      await client.pay({
        SenderTokenId: tokenId,
        TransactionAmount: usd(amount),
        CallerReference: ref(),
      })
    }
    const balance = await client.getAccountBalance()
    expect(balance.AccountBalance).toMatchObject({
      TotalBalance: usd('6.000000'),
      AvailableBalances: { DisburseBalance: usd('6.000000') },
    })
    const ascending = await client.getAccountActivity({
      StartDate: start,
      SortOrderByDate: 'Ascending',
      MaxBatchSize: '2',
    })
    expect(ascending.BatchSize).toBe('2')
    expect(ascending.Transaction?.map((txn) => txn.TransactionAmount.Value)).toEqual([
      '1.000000',
      '2.000000',
    ])
    expect(ascending.StartTimeForNextTransaction).toBeDefined()
    expect(ascending.Transaction?.[1]).toMatchObject({
      Balance: usd('3.000000'),
      FPSOperation: 'Pay',
      TransactionStatus: 'Success',
    })
    const none = await client.getAccountActivity({ StartDate: start, FPSOperation: 'Refund' })
    expect(none.BatchSize).toBe('0')
    await expect(client.getAccountActivity({ StartDate: 'yesterday' })).rejects.toMatchObject({
      code: 'InvalidParams',
    })
  })

  it('shows the accounts and a transaction history on the Your Account pages', async () => {
    const tokenId = await sandbox.token(singleUse('4.20'))
    const payment = await sandbox
      .client()
      .pay({ SenderTokenId: tokenId, TransactionAmount: usd('4.20'), CallerReference: ref() })
    const list = await (await fetch(`${sandbox.url}/account`)).text()
    expect(list).toContain('<html lang="en">')
    expect(list).toContain('href="/account/caller-test-shop"')
    const page = await (await fetch(`${sandbox.url}/account/caller-test-shop`)).text()
    expect(page).toContain(payment.TransactionId)
    expect(page).toContain('Pay of $4.20 — Success')
    expect((await fetch(`${sandbox.url}/account/nobody`)).status).toBe(404)
  })
})

describe('VerifySignature', () => {
  it('answers Success for a return the sandbox signed and Failure for a tampered one, signed or not', async () => {
    const back = await sandbox.walk(sandbox.cbuiUrl(singleUse('1.00')))
    const endpoint = `${back.origin}${back.pathname}`
    const client = sandbox.client()
    const ok = await client.verifySignature({
      UrlEndPoint: endpoint,
      HttpParameters: back.searchParams.toString(),
    })
    expect(ok.VerificationStatus).toBe('Success')
    const tampered = new URLSearchParams(back.searchParams)
    tampered.set('status', 'SC')
    expect(
      (await client.verifySignature({ UrlEndPoint: endpoint, HttpParameters: tampered.toString() }))
        .VerificationStatus
    ).toBe('Failure')
    expect(
      (
        await client.verifySignature({
          UrlEndPoint: `${endpoint}/`,
          HttpParameters: back.searchParams.toString(),
        })
      ).VerificationStatus
    ).toBe('Failure')
    const unsigned = new URL(sandbox.url)
    unsigned.search = new URLSearchParams({
      Action: 'VerifySignature',
      Version: '2008-09-17',
      UrlEndPoint: endpoint,
      HttpParameters: back.searchParams.toString(),
    }).toString()
    const body = await (await fetch(unsigned)).text()
    expect(body).toContain('<VerificationStatus>Success</VerificationStatus>')
    const noCertificate = new URLSearchParams(back.searchParams)
    noCertificate.delete('certificateUrl')
    await expect(
      client.verifySignature({ UrlEndPoint: endpoint, HttpParameters: noCertificate.toString() })
    ).rejects.toMatchObject({
      code: 'InvalidParams',
      message: "certificateUrl is missing in 'HttpParameters'.",
    })
  })

  it('serves the certificate, and 404 for any other id', async () => {
    const pem = await (await fetch(sandbox.sandbox.certificateUrl())).text()
    expect(pem).toBe(sandbox.sandbox.signingKey.certificatePem)
    expect((await fetch(`${sandbox.url}/certs/000000/PKICert.pem`)).status).toBe(404)
  })
})
