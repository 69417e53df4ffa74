import type { Page } from 'playwright-core'
import { expect } from 'vitest'
import { watchedPage } from './browser.js'
import type { Shop } from './shop-fixture.js'

/**
 * Runs `steps` on the merchant's orders page, signed in with the admin token, in a browser
 * context of its own beside the buyer's; the page must end with no error logged.
 */
export async function onOrdersPage(
  shop: Shop,
  steps: (page: Page) => Promise<void>
): Promise<void> {
  const merchant = await watchedPage(shop.browser)
  try {
    await merchant.page.goto(`${shop.stack.shopUrl}/orders`)
    await merchant.page.getByLabel('Admin token').fill(shop.stack.adminToken)
    await merchant.page.getByRole('button', { name: 'Show orders' }).click()
    await steps(merchant.page)
  } finally {
    await merchant.context.close()
  }
  expect(merchant.problems).toEqual([])
}

/** The row of one order on the orders page. */
export function orderRow(page: Page, callerReference: string) {
  return page.getByRole('row').filter({ hasText: callerReference })
}
