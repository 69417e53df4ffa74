import { buildCbuiUrl, parseReturn, sign } from '@fps-checkout/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, SHOP, singleUse, startSandbox } from '../../test/harness.js'

let sandbox: Harness
beforeAll(async () => {
  sandbox = await startSandbox()
})
afterAll(() => sandbox.close())

/** The return's parameters, checked with the protocol package's verifier. */
async function verifiedReturn(back: URL): Promise<Record<string, string>> {
  const params = Object.fromEntries(back.searchParams)
  await sandbox.verify('GET', `${back.origin}${back.pathname}`, params)
  return params
}

describe('CBUI pipelines', () => {
  it('installs a SingleUse token and returns SA with a signed, verifiable return keeping the returnURL query', async () => {
    const back = await sandbox.walk(
      sandbox.cbuiUrl(singleUse('19.99', { callerReference: 'order-1' }))
    )
    const params = await verifiedReturn(back)
    expect(back.origin + back.pathname).toBe('https://shop.example/return')
    expect(params).toMatchObject({
      order: '1',
      status: 'SA',
      callerReference: 'order-1',
      signatureMethod: 'RSA-SHA1',
      signatureVersion: '2',
    })
    expect(params.tokenID).toMatch(/^[A-Z0-9]{64}$/)
    expect(params.expiry).toMatch(/^\d{2}\/\d{4}$/)
    expect(params.certificateUrl).toBe(
      `${sandbox.url}/certs/${sandbox.sandbox.signingKey.id}/PKICert.pem`
    )
    expect(parseReturn(params).status).toBe('SA')
  })

  it.each([
    ['ACH', 'carol@buyer.example', 'SB'],
    ['CC', 'bob@buyer.example', 'SC'],
  ] as const)('answers the %s status for a buyer paying with it', async (method, email, status) => {
    const params = await verifiedReturn(
      await sandbox.walk(sandbox.cbuiUrl(singleUse('5.00')), { email, method })
    )
    expect(params.status).toBe(status)
  })

  it('installs MultiUse, Recurring and Recipient tokens with their limits and statuses', async () => {
    const multi = await verifiedReturn(
      await sandbox.walk(
        sandbox.cbuiUrl({
          pipelineName: 'MultiUse',
          callerReference: 'multi-1',
          returnURL: 'https://shop.example/return',
          globalAmountLimit: '100',
          transactionAmount: '10',
          amountType: 'Maximum',
          usageLimitType1: 'Count',
          usageLimitValue1: '3',
          usageLimitPeriod1: '1 Month',
        }),
        { method: 'CC' }
      )
    )
    expect(multi.status).toBe('SC')
    const recurring = await verifiedReturn(
      await sandbox.walk(
        sandbox.cbuiUrl({
          pipelineName: 'Recurring',
          callerReference: 'rec-1',
          returnURL: 'https://shop.example/r',
          transactionAmount: '9.99',
          recurringPeriod: '1 Month',
        })
      )
    )
    expect(recurring.status).toBe('SA')
    const recipient = await verifiedReturn(
      await sandbox.walk(
        sandbox.cbuiUrl({
          pipelineName: 'Recipient',
          callerReference: 'seller-1',
          returnURL: 'https://market.example/r',
          recipientPaysFee: true,
          maxFixedFee: '1.00',
          maxVariableFee: '5',
        }),
        { email: 'erin@buyer.example' }
      )
    )
    expect(recipient.status).toBe('SR')
    const types = Object.fromEntries(
      [...sandbox.sandbox.state.tokens.values()].map((token) => [token.callerReference, token])
    )
    expect(types['multi-1']).toMatchObject({
      type: 'MultiUse',
      amountType: 'Maximum',
      amount: 1000,
      globalAmountLimit: 10_000,
    })
    expect(types['multi-1']?.usageLimits).toEqual([
      { type: 'Count', value: 3, periodMs: 30 * 86_400_000 },
    ])
    expect(types['rec-1']).toMatchObject({
      type: 'Recurring',
      amount: 999,
      recurringPeriodMs: 30 * 86_400_000,
    })
    expect(types['seller-1']).toMatchObject({
      type: 'Unrestricted',
      maxFixedFee: 100,
      maxVariableFee: 500,
      ownerAccountId: 'buyer-erin',
    })
  })

  it('edits a token: a new method answers its status, the same method answers SU', async () => {
    const tokenId = await sandbox.token(singleUse('3.00'), { method: 'ABT' })
    const edit = (method: 'ABT' | 'CC') =>
      sandbox.walk(
        sandbox.cbuiUrl({
          pipelineName: 'EditToken',
          callerReference: `edit-${method}`,
          returnURL: 'https://shop.example/r',
          tokenId,
        }),
        { method }
      )
    expect((await verifiedReturn(await edit('CC'))).status).toBe('SC')
    expect(sandbox.sandbox.state.tokens.get(tokenId)?.paymentMethod).toBe('CC')
    const unchanged = await verifiedReturn(await edit('CC'))
    expect(unchanged).toMatchObject({ status: 'SU', tokenID: tokenId })
  })

  it('resending the same pipeline request returns the same token; a different one with its callerReference gets NP', async () => {
    const request = singleUse('7.00', { callerReference: 'same-ref' })
    const first = await sandbox.token(request)
    expect(await sandbox.token(request)).toBe(first)
    const other = await sandbox.walk(sandbox.cbuiUrl({ ...request, transactionAmount: '8.00' }))
    expect((await verifiedReturn(other)).status).toBe('NP')
  })

  it.each(['signin', 'method', 'review'] as const)(
    'Cancel on the %s page returns status A',
    async (cancelAt) => {
      const params = await verifiedReturn(
        await sandbox.walk(sandbox.cbuiUrl(singleUse('1.00', { callerReference: 'abandoned' })), {
          cancelAt,
        })
      )
      expect(params).toMatchObject({ status: 'A', callerReference: 'abandoned' })
      expect(params.tokenID).toBeUndefined()
    }
  )

  it('returns PE when the buyer has none of the requested methods', async () => {
    const params = await verifiedReturn(
      await sandbox.walk(sandbox.cbuiUrl(singleUse('1.00', { paymentMethod: 'CC' })), {
        email: 'carol@buyer.example',
      })
    )
    expect(params.status).toBe('PE')
  })
})

describe('CBUI request checks', () => {
  const START = () => `${sandbox.url}/cobranded-ui/actions/start`

  /** A start URL with its parameters changed, then signed again: well signed, whatever it asks. */
  const resigned = (url: string, change: (params: URLSearchParams) => void) => {
    const query = new URL(url).searchParams
    change(query)
    query.delete('signature')
    const params = Object.fromEntries(query)
    const signature = sign({
      method: 'GET',
      endpoint: START(),
      params,
      secretKey: SHOP.secretKey,
      signatureMethod: 'HmacSHA256',
    })
    return `${START()}?${new URLSearchParams({ ...params, signature })}`
  }

  const ceFor = async (url: string) => {
    const response = await fetch(url, { redirect: 'manual' })
    expect(response.status).toBe(302)
    const back = new URL(response.headers.get('location') ?? '')
    return verifiedReturn(back)
  }

  /** An error page: no redirect, so nothing signed leaves the sandbox and no returnURL is used. */
  const refusalFor = async (url: string, status: number) => {
    const response = await fetch(url, { redirect: 'manual' })
    expect(response.status).toBe(status)
    expect(response.headers.get('location')).toBeNull()
    expect(response.headers.get('content-type')).toMatch(/^text\/html/)
    const page = await response.text()
    expect(page).not.toMatch(/certificateUrl|signatureMethod=RSA-SHA1|attacker\.example/)
    return page
  }

  it('returns CE naming the parameter when a well-signed request has a malformed parameter', async () => {
    const url = resigned(
      sandbox.cbuiUrl(singleUse('1.00', { callerReference: 'bad-amount' })),
      (params) => params.set('transactionAmount', '1.001')
    )
    const params = await ceFor(url)
    expect(params).toMatchObject({ status: 'CE', callerReference: 'bad-amount' })
    expect(params.errorMessage).toContain('[transactionAmount]')
  })

  it("accepts and ignores a parameter it does not know when the signature covers it (boto 2's CallerReference)", async () => {
    const url = resigned(
      sandbox.cbuiUrl(singleUse('1.00', { callerReference: 'signed-extra' })),
      (params) => params.set('CallerReference', 'b0e5c4a2-5d1e-4f7a-9a51-2c9f0e6d3b11')
    )
    const params = await verifiedReturn(await sandbox.walk(url))
    expect(params).toMatchObject({ status: 'SA', callerReference: 'signed-extra' })
    expect(params.CallerReference).toBeUndefined()
  })

  it('refuses a parameter added after signing: the signature covers every parameter', async () => {
    const url = new URL(sandbox.cbuiUrl(singleUse('1.00')))
    url.searchParams.set('CallerReference', 'added-later')
    expect(await refusalFor(url.toString(), 403)).toContain('signature does not match')
  })

  it('returns CE when a well-signed EditToken names a token the caller does not have', async () => {
    const url = sandbox.cbuiUrl({
      pipelineName: 'EditToken',
      callerReference: 'edit-unknown',
      returnURL: 'https://shop.example/r',
      tokenId: 'NOSUCHTOKEN0000000000000000000000000000000000000000000000000000',
    })
    const params = await ceFor(url)
    expect(params).toMatchObject({ status: 'CE', callerReference: 'edit-unknown' })
    expect(params.errorMessage).toContain('tokenId')
  })

  it('shows a 403 page, signs nothing and redirects nowhere for an unsigned request', async () => {
    const unsigned = new URL(
      sandbox.cbuiUrl(singleUse('1.00', { returnURL: 'https://attacker.example/return' }))
    )
    unsigned.searchParams.delete('signature')
    expect(await refusalFor(unsigned.toString(), 403)).toContain('not signed')
    const bare = `${START()}?${new URLSearchParams({
      pipelineName: 'SingleUse',
      callerReference: 'victim-order-1',
      returnURL: 'https://attacker.example/return',
      transactionAmount: '1.00',
    })}`
    expect(await refusalFor(bare, 403)).toContain('not signed')
  })

  it('shows a 403 page for an unsigned request with malformed parameters, not a CE return', async () => {
    const url = new URL(sandbox.cbuiUrl(singleUse('1.00')))
    url.searchParams.set('returnURL', 'https://attacker.example/return')
    url.searchParams.set('transactionAmount', '1.001')
    url.searchParams.delete('signature')
    await refusalFor(url.toString(), 403)
  })

  it('shows a 403 page, signing nothing, for a bad signature or an unknown callerKey', async () => {
    const forged = new URL(sandbox.cbuiUrl(singleUse('1.00')))
    forged.searchParams.set('transactionAmount', '0.01')
    forged.searchParams.set('returnURL', 'https://attacker.example/return')
    expect(await refusalFor(forged.toString(), 403)).toContain('signature does not match')
    const unknown = sandbox.cbuiUrl(
      singleUse('1.00', { returnURL: 'https://attacker.example/return' }),
      { accessKeyId: 'AKIAUNKNOWN000000000', secretKey: 'x' }
    )
    expect(await refusalFor(unknown, 403)).toContain('AKIAUNKNOWN000000000')
  })

  it('accepts a signature computed over the host without the port', async () => {
    const portless = buildCbuiUrl({
      endpoint: 'http://127.0.0.1/cobranded-ui/actions/start',
      accessKeyId: SHOP.accessKeyId,
      secretKey: SHOP.secretKey,
      request: singleUse('1.00'),
    })
    const back = await sandbox.walk(portless.replace('http://127.0.0.1', sandbox.url))
    expect(back.searchParams.get('status')).toBe('SA')
  })

  it('shows an error page when there is no usable returnURL', async () => {
    const response = await fetch(
      `${sandbox.url}/cobranded-ui/actions/start?pipelineName=SingleUse&returnURL=javascript:alert(1)`
    )
    expect(response.status).toBe(400)
    expect(await response.text()).toContain('no usable returnURL')
  })
})

describe('CBUI pages', () => {
  async function pageAfterStart(request: Parameters<Harness['cbuiUrl']>[0]) {
    const response = await fetch(sandbox.cbuiUrl(request), { redirect: 'manual' })
    const pageUrl = new URL(response.headers.get('location') ?? '', sandbox.url).toString()
    return { pageUrl, html: await (await fetch(pageUrl)).text() }
  }
  const post = (pageUrl: string, fields: Record<string, string>) =>
    fetch(pageUrl, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' })

  it('signs in with labelled fields, lists the test buyers and explains a wrong password', async () => {
    const { pageUrl, html } = await pageAfterStart(singleUse('1.00'))
    expect(html).toContain('<html lang="en">')
    expect(html).toContain('<label for="email">Email</label>')
    expect(html).toContain('<label for="password">Password</label>')
    expect(html).toMatch(
      /<button type="submit" class="primary" name="intent" value="continue">Sign in<\/button>/
    )
    expect(html).toContain('alice@buyer.example')
    const refused = await post(pageUrl, {
      step: 'signin',
      intent: 'continue',
      email: 'alice@buyer.example',
      password: 'wrong',
    })
    expect(refused.status).toBe(422)
    const again = await refused.text()
    expect(again).toContain(
      '<p id="signin-error" class="error" role="alert">The email or password is not correct.'
    )
    expect(again).toContain('aria-invalid="true" aria-describedby="signin-error"')
    expect(again).toContain('value="alice@buyer.example"')
  })

  it('offers only the requested methods the buyer has, as a labelled radio group', async () => {
    const { pageUrl } = await pageAfterStart(singleUse('1.00', { paymentMethod: 'ABT,CC' }))
    const signedIn = await post(pageUrl, {
      step: 'signin',
      intent: 'continue',
      email: 'alice@buyer.example',
      password: 'sandbox',
    })
    expect(signedIn.status).toBe(303)
    const html = await (await fetch(pageUrl)).text()
    expect(html).toContain('<legend>Payment method</legend>')
    expect(html).toContain('<label for="method-ABT">Amazon Payments balance</label>')
    expect(html).toMatch(/<span id="method-ABT-detail">\$[\d,]+\.\d\d available<\/span>/)
    expect(html).toContain('<label for="method-CC">Credit card</label>')
    expect(html).not.toContain('method-ACH')
    const refused = await post(pageUrl, { step: 'method', intent: 'continue', method: 'ACH' })
    expect(refused.status).toBe(422)
    expect(await refused.text()).toContain('aria-describedby="method-error"')
  })

  it("reviews the amount, the reason's limited HTML (the rest escaped), the logo and the description", async () => {
    const { pageUrl } = await pageAfterStart(
      singleUse('1234.50', {
        paymentReason: '<b>Song</b> <script>alert(1)</script><i onclick="x">y</i>',
        cobrandingUrl: 'https://shop.example/logo.png',
        websiteDescription: 'Digital Downloads & More',
      })
    )
    await post(pageUrl, {
      step: 'signin',
      intent: 'continue',
      email: 'alice@buyer.example',
      password: 'sandbox',
    })
    await post(pageUrl, { step: 'method', intent: 'continue', method: 'CC' })
    const html = await (await fetch(pageUrl)).text()
    expect(html).toContain('<h1>Review and confirm</h1>')
    expect(html).toContain('<dt>Amount</dt><dd>$1,234.50</dd>')
    expect(html).toContain(
      '<b>Song</b> &lt;script&gt;alert(1)&lt;/script&gt;&lt;i onclick=&quot;x&quot;&gt;y'
    )
    expect(html).toContain(
      '<img src="https://shop.example/logo.png" alt="Digital Downloads &amp; More">'
    )
    expect(html).toContain('You will return to Digital Downloads &amp; More.')
    expect(html).toContain('<dt>Payment method</dt><dd>Credit card</dd>')
  })

  it('ends the session with the return, so the pages cannot be replayed', async () => {
    const { pageUrl } = await pageAfterStart(singleUse('1.00'))
    await post(pageUrl, { step: 'signin', intent: 'cancel' })
    expect((await fetch(pageUrl)).status).toBe(404)
  })
})
