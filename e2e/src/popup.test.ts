import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { WatchedPage } from './browser.js'
import { payWith, signIn } from './cbui.js'
import { useShop } from './shop-fixture.js'
import { callerReferenceOf } from './stack.js'

const shop = useShop()

/** The song bought here, its button switched to popup mode as a shop would write it. */
const song = 'fps-buy-button[item="now-and-forever"]'

/** Collects the popup's console errors, uncaught exceptions and failed loads with the page's own. */
function watch(popup: Page, watched: WatchedPage): void {
  popup.on('console', (message) => {
    if (message.type() === 'error') watched.problems.push(`popup console: ${message.text()}`)
  })
  popup.on('pageerror', (error) => watched.problems.push(`popup error: ${error.message}`))
  popup.on('response', (response) => {
    if (response.status() >= 400)
      watched.problems.push(`popup HTTP ${response.status()}: ${response.url()}`)
  })
}

/** Clicks the button; answers the popup on the payment pages and the order the signer started. */
async function checkoutInPopup(page: Page): Promise<{ popup: Page; reference: string }> {
  const checkout = page.waitForResponse((response) => response.url().endsWith('/fps/checkout'))
  const [popup] = await Promise.all([
    page.waitForEvent('popup'),
    page.locator(song).getByRole('button').click(),
  ])
  watch(popup, shop.watched)
  const { callerReference } = (await (await checkout).json()) as { callerReference: string }
  await popup.waitForURL(/\/cobranded-ui\//)
  return { popup, reference: callerReference }
}

describe('popup mode', () => {
  it('pays in the popup; the shop tab shows the payment, fires fps-return-verified, closes the popup, and the next click is a new order', async () => {
    const page = await shop.open()
    await page.locator(song).evaluate((button) => {
      button.setAttribute('mode', 'popup')
      button.addEventListener('fps-return-verified', (event) => {
        document.documentElement.dataset.verified = JSON.stringify((event as CustomEvent).detail)
      })
    })
    const { popup, reference } = await checkoutInPopup(page)
    await signIn(popup, 'alice@buyer.example')
    expect(callerReferenceOf(await payWith(popup, 'ABT'))).toBe(reference)

    await expect.poll(() => popup.isClosed()).toBe(true)
    const message = page.locator(song).locator('[part~="message"]')
    await expect.poll(() => message.textContent()).toBe('Payment complete')
    const verified = await page.locator('html').getAttribute('data-verified')
    expect(JSON.parse(verified ?? 'null')).toMatchObject({
      callerReference: reference,
      status: 'success',
      amount: '0.90',
    })
    expect(shop.stack.charges(reference)).toEqual([
      expect.objectContaining({ status: 'Success', amount: 90 }),
    ])
    await expect(shop.stack.order(reference)).resolves.toMatchObject({ status: 'success' })
    expect(page.url()).toBe(`${shop.stack.shopUrl}/`)

    // the attempt is over: the same song again is a new order, not the paid one replayed
    const again = await checkoutInPopup(page)
    expect(again.reference).not.toBe(reference)
    await again.popup.close()
  })
})
