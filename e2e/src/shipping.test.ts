import { describe, expect, it } from 'vitest'
import { payWith, signIn, startCheckout } from './cbui.js'
import { follow, isWav } from './download.js'
import { onOrdersPage, orderRow } from './merchant.js'
import { useShop } from './shop-fixture.js'
import { callerReferenceOf } from './stack.js'

const shop = useShop('reserve')

describe('a shop that charges on shipment', () => {
  it('ships from the orders page: the settle charges the reservation, order.settled marks it shipped, and the download comes', async () => {
    const page = await shop.open()
    await startCheckout(page, 'repeat-offender')
    await signIn(page, 'alice@buyer.example')
    const reference = callerReferenceOf(await payWith(page, 'ABT'))
    await page.getByText('Payment complete').waitFor()
    await page.getByText('Your download comes when your order ships.').waitFor()

    await onOrdersPage(shop, async (orders) => {
      const row = orderRow(orders, reference)
      await row.getByText('Not shipped').waitFor()
      await row.getByRole('button', { name: `Ship and settle ${reference}` }).click()
      await orders
        .getByRole('status')
        .filter({ hasText: `settle of ${reference} done` })
        .waitFor()
      await orderRow(orders, reference)
        .getByText(/^Shipped /)
        .waitFor()
    })
    await expect(shop.stack.order(reference)).resolves.toMatchObject({ status: 'success' })
    expect(shop.stack.fulfilments.get(reference)?.shippedAt).toEqual(expect.any(String))

    // the buyer, back on the order page, has the song
    await page.reload()
    const link = page.locator('#download').getByRole('link', { name: /^Download / })
    const { filename, body } = await follow(link)
    expect(filename).toBe('Repeat Offender (album) - Richard Marx.wav')
    expect(isWav(body)).toBe(true)
  })

  it('lets the buyer cancel the reservation before it ships: nothing is charged, nothing is delivered', async () => {
    const page = await shop.open()
    await startCheckout(page, 'hold-on')
    await signIn(page, 'alice@buyer.example')
    const reference = callerReferenceOf(await payWith(page, 'ABT'))
    await page.getByText('Your download comes when your order ships.').waitFor()

    await page.getByRole('button', { name: 'Cancel order' }).click()
    await page.getByText('Payment cancelled').waitFor()
    await expect.poll(() => page.locator('#download').isHidden()).toBe(true)
    await expect(shop.stack.order(reference)).resolves.toMatchObject({ status: 'cancelled' })
    expect(shop.stack.charges(reference)).toEqual([
      expect.objectContaining({ status: 'Cancelled' }),
    ])
    await onOrdersPage(shop, async (orders) => {
      const row = orderRow(orders, reference)
      await row.getByText('cancelled', { exact: true }).waitFor()
      await expect(row.getByRole('button').count()).resolves.toBe(0)
    })
    expect(shop.stack.fulfilments.get(reference)).toBeUndefined()
  })
})
