import { describe, expect, it } from 'vitest'
import { payWith, signIn, startCheckout } from './cbui.js'
import { useShop } from './shop-fixture.js'
import { callerReferenceOf } from './stack.js'

const shop = useShop('reserve')

/** Signs in on the orders page with the admin token. */
async function ordersPage() {
  const page = await shop.open('/orders')
  await page.getByLabel('Admin token').fill(shop.stack.adminToken)
  await page.getByRole('button', { name: 'Show orders' }).click()
  return page
}

describe('a shop that charges on shipment', () => {
  it('reserves at the return, and the merchant settles from the orders page', async () => {
    const page = await shop.open()
    await startCheckout(page, 'repeat-offender')
    await signIn(page, 'alice@buyer.example')
    const reference = callerReferenceOf(await payWith(page, 'ABT'))
    await page.getByText('Payment complete').waitFor()
    await expect(shop.stack.order(reference)).resolves.toMatchObject({ status: 'reserved' })
    expect(shop.stack.charges(reference)).toEqual([
      expect.objectContaining({ status: 'Reserved', amount: 999 }),
    ])

    const orders = await ordersPage()
    await orders.getByRole('button', { name: `Settle ${reference}` }).click()
    await orders
      .getByRole('status')
      .filter({ hasText: `settle of ${reference} done` })
      .waitFor()
    await expect(shop.stack.order(reference)).resolves.toMatchObject({ status: 'success' })
    const settles = [...shop.stack.sandbox.sandbox.state.transactions.values()].filter(
      (t) => t.operation === 'Settle' && t.callerReference === reference
    )
    expect(settles).toEqual([expect.objectContaining({ amount: 999 })])
  })

  it('lets the merchant cancel a reservation instead, charging nothing', async () => {
    const page = await shop.open()
    await startCheckout(page, 'hold-on')
    await signIn(page, 'alice@buyer.example')
    const reference = callerReferenceOf(await payWith(page, 'ABT'))
    await page.getByText('Payment complete').waitFor()

    const orders = await ordersPage()
    await orders.getByRole('button', { name: `Cancel ${reference}` }).click()
    await orders
      .getByRole('status')
      .filter({ hasText: `cancel of ${reference} done` })
      .waitFor()
    await expect(shop.stack.order(reference)).resolves.toMatchObject({ status: 'cancelled' })
    expect(shop.stack.charges(reference)).toEqual([
      expect.objectContaining({ status: 'Cancelled' }),
    ])
  })
})
