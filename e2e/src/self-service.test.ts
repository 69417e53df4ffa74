import { describe, expect, it } from 'vitest'
import { acceptRefusals } from './browser.js'
import { payWith, signIn, startCheckout } from './cbui.js'
import { onOrdersPage, orderRow } from './merchant.js'
import { useShop } from './shop-fixture.js'
import { callerReferenceOf } from './stack.js'

const shop = useShop()

describe('a buyer who wants their money back', () => {
  it('asks for a refund on the order page; the merchant approves it on the orders page, the order shows as refunded and the download is withdrawn', async () => {
    const page = await shop.open()
    await startCheckout(page, 'hold-on')
    await signIn(page, 'alice@buyer.example')
    const reference = callerReferenceOf(await payWith(page, 'ABT'))
    await page.getByText('Payment complete').waitFor()
    const link = page.locator('#download').getByRole('link', { name: /^Download / })
    const href = new URL((await link.getAttribute('href')) ?? '', shop.stack.shopUrl).href

    await page.getByRole('button', { name: 'Request a refund' }).click()
    await page.getByText('Refund requested').waitFor()
    await onOrdersPage(shop, async (orders) => {
      const row = orderRow(orders, reference)
      await row.getByText('success · refund of 0.99 requested').waitFor()
      await row.getByRole('button', { name: `Approve refund ${reference}` }).click()
      await orders
        .getByRole('status')
        .filter({ hasText: `approve refund of ${reference} done` })
        .waitFor()
      await orderRow(orders, reference).getByText('refunded', { exact: true }).waitFor()
    })
    await expect(shop.stack.order(reference)).resolves.toMatchObject({
      status: 'refunded',
      refundedAmount: '0.99',
    })
    const charge = shop.stack.charges(reference)[0]
    const refunds = [...shop.stack.sandbox.sandbox.state.transactions.values()].filter(
      (t) => t.operation === 'Refund' && t.parentId === charge?.id
    )
    expect(refunds).toEqual([expect.objectContaining({ amount: 99 })])

    // the shop hears of the full refund through order.refunded, and takes the download back
    await expect
      .poll(() => shop.stack.fulfilments.get(reference)?.withdrawnAt)
      .toEqual(expect.any(String))
    await page.reload()
    await page.getByText('Payment refunded').waitFor()
    await page.getByText('Your download was withdrawn when the order was refunded.').waitFor()
    await page.goto(href)
    await page.getByText('This download was withdrawn when the order was refunded.').waitFor()
    acceptRefusals(shop.watched, 410)
  })
})
