import { describe, expect, it } from 'vitest'
import { acceptRefusals, screenshot } from './browser.js'
import { payWith, signIn } from './cbui.js'
import { useShop } from './shop-fixture.js'
import { callerReferenceOf } from './stack.js'

const shop = useShop()

describe('the donation', () => {
  it('within its bounds goes through for the amount the buyer typed', async () => {
    const page = await shop.open()
    await page.getByLabel(/Amount in USD/).fill('12.50')
    await page.locator('#donate').getByRole('button').click()
    await page.waitForURL(/\/cobranded-ui\//)
    await signIn(page, 'alice@buyer.example')
    const reference = callerReferenceOf(await payWith(page, 'ABT'))
    await page.getByText('Payment complete').waitFor()
    expect(shop.stack.charges(reference)).toEqual([expect.objectContaining({ amount: 1250 })])
  })

  it('outside its bounds is refused with a message, and the buyer stays on the shop', async () => {
    const page = await shop.open()
    await page.getByLabel(/Amount in USD/).fill('500.00')
    await page.locator('#donate').getByRole('button').click()
    await page
      .locator('#donate')
      .getByRole('status')
      .filter({ hasText: 'must be between 1.00 and 100.00 USD' })
      .waitFor()
    await screenshot(page, 'donation-refused')
    expect(new URL(page.url()).pathname).toBe('/')
    acceptRefusals(shop.watched, 422)
  })
})

describe('a buyer who edits the page', () => {
  it('cannot lower a price in devtools: the signer refuses the checkout', async () => {
    const page = await shop.open()
    const button = page.locator('fps-buy-button[item="repeat-offender"]')
    await button.evaluate((element) => element.setAttribute('amount', '0.01'))
    await button.getByRole('button').click()
    await button.getByText('The price changed. Reload the page.').waitFor()
    expect(new URL(page.url()).pathname).toBe('/')
    acceptRefusals(shop.watched, 422)
  })
})

describe('the merchant', () => {
  it('refunds a paid order from the orders page', async () => {
    const page = await shop.open()
    await page.locator('fps-buy-button[item="hold-on"]').getByRole('button').click()
    await page.waitForURL(/\/cobranded-ui\//)
    await signIn(page, 'alice@buyer.example')
    const reference = callerReferenceOf(await payWith(page, 'ABT'))
    await page.getByText('Payment complete').waitFor()

    await page.goto(`${shop.stack.shopUrl}/orders`)
    await page.getByLabel('Admin token').fill(shop.stack.adminToken)
    await page.getByRole('button', { name: 'Show orders' }).click()
    await page.getByRole('button', { name: `Refund ${reference}` }).click()
    await page
      .getByRole('status')
      .filter({ hasText: `refund of ${reference} done` })
      .waitFor()
    await screenshot(page, 'orders-refunded')
    await expect(shop.stack.order(reference)).resolves.toMatchObject({ status: 'refunded' })
    const refunds = [...shop.stack.sandbox.sandbox.state.transactions.values()].filter(
      (t) => t.operation === 'Refund' && t.parentId === shop.stack.charges(reference)[0]?.id
    )
    expect(refunds).toEqual([expect.objectContaining({ amount: 99 })])
  })
})
