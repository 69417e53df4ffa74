import type { CbuiRequest } from '@fps-checkout/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, ref, singleUse, startSandbox, usd } from '../../test/harness.js'

/** Text that would add an element, a handler or a script if a page printed it as it is. */
const HOSTILE = `"><img src=x onerror=alert(1)><script>alert('x')</script>`
/** HOSTILE as `hono/html` escapes it, the same in text and in a quoted attribute value. */
const ESCAPED =
  '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;'

let sandbox: Harness
beforeAll(async () => {
  sandbox = await startSandbox()
})
afterAll(() => sandbox.close())

/** Nothing of HOSTILE reached the page as markup. */
function expectInert(page: string): void {
  expect(page).not.toMatch(/<script|<img src=x|onerror=alert\(1\)>|alert\('x'\)/)
}

/** Starts a pipeline and answers the URL of its session's pages. */
async function sessionOf(request: CbuiRequest): Promise<string> {
  const response = await fetch(sandbox.cbuiUrl(request), { redirect: 'manual' })
  expect(response.status).toBe(303)
  return new URL(response.headers.get('location') ?? '', sandbox.url).toString()
}

const post = (pageUrl: string, fields: Record<string, string>) =>
  fetch(pageUrl, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' })

const signIn = (pageUrl: string, email = 'alice@buyer.example') =>
  post(pageUrl, { step: 'signin', intent: 'continue', email, password: 'sandbox' })

describe('pages given hostile input', () => {
  it("review: escapes the reason's other markup, the description and the logo URL, and keeps the reason's allowed tags", async () => {
    const pageUrl = await sessionOf(
      singleUse('1.00', {
        paymentReason: `<b>Bold</b><ul><li>one</li></ul><br/>${HOSTILE}<i onclick="x">y</i><strong>open`,
        websiteDescription: HOSTILE,
        cobrandingUrl: `https://shop.example/logo.png?${HOSTILE}`,
      })
    )
    await signIn(pageUrl)
    await post(pageUrl, { step: 'method', intent: 'continue', method: 'ABT' })
    const page = await (await fetch(pageUrl)).text()
    expect(page).toContain(
      `<dt>Reason</dt><dd><b>Bold</b><ul><li>one</li></ul><br>${ESCAPED}&lt;i onclick=&quot;x&quot;&gt;y<strong>open</strong></dd>`
    )
    expect(page).toContain(`<img src="https://shop.example/logo.png?${ESCAPED}" alt="${ESCAPED}">`)
    expect(page).toContain(`<p>You will return to ${ESCAPED}.</p>`)
    expect(page).toContain('<input type="hidden" name="step" value="review">')
    expectInert(page)
  })

  it('sign-in: escapes the email it shows again in the field value', async () => {
    const pageUrl = await sessionOf(singleUse('1.00'))
    const refused = await signIn(pageUrl, HOSTILE)
    expect(refused.status).toBe(422)
    const page = await refused.text()
    expect(page).toContain(
      `name="email" type="email" autocomplete="username" required value="${ESCAPED}"`
    )
    expectInert(page)
  })

  it('error page: escapes the callerKey it names', async () => {
    const start = new URL(`${sandbox.url}/cobranded-ui/actions/start`)
    const { pipelineName, callerReference, returnURL, transactionAmount } = singleUse('1.00')
    start.search = new URLSearchParams({
      pipelineName,
      callerReference,
      returnURL,
      transactionAmount,
      callerKey: HOSTILE,
      signature: 'x',
    }).toString()
    const response = await fetch(start, { redirect: 'manual' })
    expect(response.status).toBe(403)
    const page = await response.text()
    expect(page).toContain(`<p role="alert">The callerKey ${ESCAPED} is not registered`)
    expectInert(page)
  })

  it("account page: escapes a transaction's caller reference", async () => {
    const tokenId = await sandbox.token(singleUse('2.00'), {
      email: 'bob@buyer.example',
      method: 'CC',
    })
    const callerReference = `${ref('pay')}${HOSTILE}`
    await sandbox.client().pay({
      SenderTokenId: tokenId,
      TransactionAmount: usd('2.00'),
      CallerReference: callerReference,
    })
    const page = await (await fetch(`${sandbox.url}/account/buyer-bob`)).text()
    expect(page).toContain(
      `<dt>Caller reference</dt><dd>${callerReference.replace(HOSTILE, ESCAPED)}</dd>`
    )
    expectInert(page)
  })
})

describe('payment-method page', () => {
  it("names the balance once, then the amount available (not 'balance balance')", async () => {
    const pageUrl = await sessionOf(singleUse('1.00', { paymentMethod: 'ABT' }))
    await signIn(pageUrl)
    const page = await (await fetch(pageUrl)).text()
    expect(page).toContain(
      '<label for="method-ABT">Amazon Payments balance</label> <span id="method-ABT-detail">$1,000.00 available</span>'
    )
    expect(page).not.toContain('balance balance')
  })
})
