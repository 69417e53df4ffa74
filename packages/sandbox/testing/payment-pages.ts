import { TEST_BUYER_PASSWORD } from '@fps-checkout/sandbox'

/** The steps of the sandbox's payment pages, in the order a buyer meets them. */
const STEPS = ['signin', 'method', 'review'] as const

/** How a test buyer goes through the payment pages. */
export interface PaymentPagesWalk {
  /** A test buyer's email; `alice@buyer.example` unless given. */
  email?: string
  /** The buyer's password; the test buyers' shared one unless given. */
  password?: string
  /** The payment method to choose: balance, bank account or card. */
  method?: 'ABT' | 'ACH' | 'CC'
  /** Press Cancel on this step instead of continuing. */
  cancelAt?: (typeof STEPS)[number]
  /** How the pages are requested: the global `fetch` unless given (one that trusts a local CA, say). */
  fetch?: typeof fetch
}

/**
 * Walks the sandbox's Co-Branded UI pages over HTTP the way a buyer's browser submits them, from a
 * signed pipeline URL to where FPS sends the buyer back. Answers that URL: the pipeline's
 * `returnURL` with FPS's signed parameters (`tokenID`, `status`, `signature`, …).
 */
export async function walkPaymentPages(
  startUrl: string,
  walk: PaymentPagesWalk = {}
): Promise<URL> {
  const send = walk.fetch ?? fetch
  let pageUrl = redirectTarget(await send(startUrl, { redirect: 'manual' }), startUrl)
  for (const step of STEPS) {
    if (!pageUrl.pathname.includes('/cobranded-ui/sessions/')) break
    const page = await (await send(pageUrl)).text()
    if (!page.includes(`name="step" value="${step}"`)) continue
    const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1]
    if (!action) throw new Error(`The ${step} page has no form: ${page.slice(0, 300)}`)
    const response = await send(new URL(action, pageUrl), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields(step, walk)),
    })
    if (response.status === 422)
      throw new Error(`The ${step} page refused the form: ${await response.text()}`)
    pageUrl = redirectTarget(response, pageUrl)
  }
  return pageUrl
}

/** The form a buyer submits on one step: every field, since each page reads only its own. */
function fields(step: string, walk: PaymentPagesWalk): Record<string, string> {
  if (walk.cancelAt === step) return { step, intent: 'cancel' }
  return {
    step,
    intent: 'continue',
    email: walk.email ?? 'alice@buyer.example',
    password: walk.password ?? TEST_BUYER_PASSWORD,
    method: walk.method ?? 'ABT',
  }
}

function redirectTarget(response: Response, base: string | URL): URL {
  const target = response.headers.get('location')
  if (!target) throw new Error(`Expected a redirect, got ${response.status} ${response.statusText}`)
  return new URL(target, base)
}
