import { describe, expect, it } from 'vitest'
import { acceptRefusals, screenshot } from './browser.js'
import {
  chooseMethod,
  confirmHoldingReturn,
  payWith,
  returnUrlAfter,
  signIn,
  startCheckout,
} from './cbui.js'
import { useShop } from './shop-fixture.js'
import { callerReferenceOf } from './stack.js'

const shop = useShop()

describe('buying a song', () => {
  it('with the Amazon Payments balance: paid at once, one charge, the order stored', async () => {
    const page = await shop.open()
    await screenshot(page, 'shop', 'demo-shop')
    await startCheckout(page, 'now-and-forever')
    await screenshot(page, 'cbui-sign-in')
    await signIn(page, 'alice@buyer.example')
    await chooseMethod(page, 'ABT')
    await expect(
      page.getByText('Now and Forever - Richard Marx').first().isVisible()
    ).resolves.toBe(true)
    await screenshot(page, 'cbui-review', 'demo-cbui-review')
    const returnUrl = await returnUrlAfter(page, () =>
      page.getByRole('button', { name: 'Continue' }).click()
    )
    await page.getByText('Payment complete').waitFor()
    await screenshot(page, 'return-success', 'demo-return-success')
    const reference = callerReferenceOf(returnUrl)
    expect(shop.stack.charges(reference)).toEqual([
      expect.objectContaining({ status: 'Success', amount: 90 }),
    ])
    await expect(shop.stack.order(reference)).resolves.toMatchObject({
      status: 'success',
      amount: '0.90',
    })
    expect(new URL(page.url()).search).toBe('')
  })

  it.each(['CC', 'ACH'] as const)(
    'with %s: pending on return, then paid once the IPN arrives',
    async (method) => {
      const page = await shop.open()
      await startCheckout(page, 'hold-on')
      await signIn(page, 'alice@buyer.example')
      const reference = callerReferenceOf(await payWith(page, method))
      await page.getByText('Payment pending').waitFor()
      await page.getByText('Payment complete').waitFor({ timeout: 15_000 })
      expect(shop.stack.charges(reference)).toEqual([
        expect.objectContaining({ status: 'Success', amount: 99 }),
      ])
      await expect(shop.stack.order(reference)).resolves.toMatchObject({ status: 'success' })
    }
  )

  it('cancelled on the payment pages: nothing charged, the buyer told, the order left open', async () => {
    const page = await shop.open()
    await startCheckout(page, 'right-here-waiting')
    await signIn(page, 'alice@buyer.example')
    const returnUrl = await returnUrlAfter(page, () =>
      page.getByRole('button', { name: 'Cancel' }).click()
    )
    const reference = callerReferenceOf(returnUrl)
    await page.getByText('Payment cancelled').waitFor()
    expect(shop.stack.charges(reference)).toEqual([])
    await expect(shop.stack.order(reference)).resolves.toMatchObject({ status: 'created' })
  })

  it('a wrong password is refused on the sign-in page', async () => {
    const page = await shop.open()
    await startCheckout(page, 'now-and-forever')
    await signIn(page, 'alice@buyer.example', 'not-the-password')
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/password/i)
    expect(page.url()).toContain('/cobranded-ui/')
    // The sign-in page answers a wrong password with 422, which the browser logs.
    acceptRefusals(shop.watched, 422)
  })

  it('reloading the return page shows the stored outcome and charges once', async () => {
    const page = await shop.open()
    await startCheckout(page, 'repeat-offender')
    await signIn(page, 'alice@buyer.example')
    const reference = callerReferenceOf(await payWith(page, 'ABT'))
    await page.getByText('Payment complete').waitFor()
    await page.reload()
    await page.getByText('Payment complete').waitFor()
    expect(shop.stack.charges(reference)).toHaveLength(1)
  })

  it('a tampered return URL is rejected and nothing is charged', async () => {
    const page = await shop.open()
    await startCheckout(page, 'now-and-forever')
    await signIn(page, 'alice@buyer.example')
    await chooseMethod(page, 'ABT')
    // Hold the genuine return back, so the only return the signer ever sees is the tampered one:
    // the sandbox answers the confirmation with a 302 to the return URL, which is read, not followed.
    const returnUrl = await confirmHoldingReturn(page, {
      sandboxUrl: shop.stack.sandbox.url,
      shopUrl: shop.stack.shopUrl,
    })
    const tampered = new URL(returnUrl)
    tampered.searchParams.set('status', tampered.searchParams.get('status') === 'SA' ? 'SC' : 'SA')
    shop.watched.problems.length = 0
    await page.goto(tampered.href)
    await page.getByText('Invalid payment link.').waitFor()
    expect(shop.stack.charges(callerReferenceOf(returnUrl))).toEqual([])
    // The signer answered 403 to the tampered return; the browser logs that refusal.
    acceptRefusals(shop.watched, 403)
  })
})
