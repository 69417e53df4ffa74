import { TEST_BUYER_PASSWORD } from '@fps-checkout/sandbox'
import type { Page } from 'playwright-core'

/** The sandbox's payment methods, as its payment-method page labels them. */
export const METHOD_LABELS = {
  ABT: 'Amazon Payments balance',
  ACH: 'Bank account',
  CC: 'Credit card',
} as const

/** Clicks a shop's buy button (inside its shadow root) and waits for the CBUI sign-in page. */
export async function startCheckout(page: Page, item: string): Promise<void> {
  await page.locator(`fps-buy-button[item="${item}"]`).getByRole('button').click()
  await page.waitForURL(/\/cobranded-ui\//)
}

/** Signs in on the CBUI pages as a test buyer. */
export async function signIn(
  page: Page,
  email: string,
  password = TEST_BUYER_PASSWORD
): Promise<void> {
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

/** Picks a payment method and continues to the review page. */
export async function chooseMethod(page: Page, method: keyof typeof METHOD_LABELS): Promise<void> {
  await page.getByLabel(METHOD_LABELS[method]).check()
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.getByRole('heading', { name: /review/i }).waitFor()
}

/**
 * Runs `action` and answers the URL CBUI sent the buyer back to, read from the navigation itself:
 * `<fps-return>` removes the FPS parameters from the address bar as soon as it has them.
 */
export async function returnUrlAfter(page: Page, action: () => Promise<unknown>): Promise<string> {
  const navigation = page.waitForRequest(
    (request) => request.isNavigationRequest() && /\/return\?/.test(request.url())
  )
  await action()
  return (await navigation).url()
}

/** Picks a payment method and confirms; answers the return URL the buyer was sent back to. */
export async function payWith(page: Page, method: keyof typeof METHOD_LABELS): Promise<string> {
  await chooseMethod(page, method)
  return returnUrlAfter(page, () => page.getByRole('button', { name: 'Continue' }).click())
}

/**
 * Confirms on the review page while holding the buyer's return back: the sandbox installs the
 * token and answers with its redirect to the shop's return page, which is read and never
 * followed. Answers that return URL; the page stays on the review page.
 */
export async function confirmHoldingReturn(
  page: Page,
  urls: { sandboxUrl: string; shopUrl: string }
): Promise<string> {
  const returnUrl = await new Promise<string>((resolve, reject) => {
    void page.route(
      (url) => url.href.startsWith(urls.sandboxUrl),
      async (route) => {
        const response = await route.fetch({ maxRedirects: 0 })
        const location = response.headers().location
        if (!location?.startsWith(`${urls.shopUrl}/return?`)) return route.fulfill({ response })
        resolve(location)
        return route.abort()
      }
    )
    page.getByRole('button', { name: 'Continue' }).click().catch(reject)
  })
  await page.unrouteAll({ behavior: 'ignoreErrors' })
  return returnUrl
}
