import type { EventRecord } from '@fps-checkout/signer'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { acceptRefusals, nextVisit } from './browser.js'
import { chooseMethod, confirmHoldingReturn, payWith, signIn, startCheckout } from './cbui.js'
import { follow, isWav } from './download.js'
import { onOrdersPage, orderRow } from './merchant.js'
import { useShop } from './shop-fixture.js'
import { callerReferenceOf } from './stack.js'

const shop = useShop()

/** Buys a song with the Amazon Payments balance; answers the buyer's page (the return) and the order. */
async function buy(item: string): Promise<{ page: Page; reference: string }> {
  const page = await shop.open()
  await startCheckout(page, item)
  await signIn(page, 'alice@buyer.example')
  const reference = callerReferenceOf(await payWith(page, 'ABT'))
  await page.getByText('Payment complete').waitFor()
  return { page, reference }
}

/** The download link beside `<fps-return>`. */
function downloadLink(page: Page) {
  return page.locator('#download').getByRole('link', { name: /^Download / })
}

/** Calls the signer's admin API as the merchant. */
async function admin<T>(path: string, method = 'GET'): Promise<T> {
  const response = await fetch(`${shop.stack.shopUrl}/fps/admin${path}`, {
    method,
    headers: { authorization: `Bearer ${shop.stack.adminToken}` },
  })
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status}`)
  return (await response.json()) as T
}

/**
 * Confirms on the review page and closes the tab before the return page loads: the sandbox
 * installs the token and answers with its redirect, which is read and never followed. Answers
 * the return URL the buyer never reached.
 */
async function confirmAndCloseTab(page: Page): Promise<string> {
  const returnUrl = await confirmHoldingReturn(page, {
    sandboxUrl: shop.stack.sandbox.url,
    shopUrl: shop.stack.shopUrl,
  })
  await page.close()
  return returnUrl
}

describe('the download', () => {
  it('appears on the return page once the order.paid event has fulfilled the order, downloads the song, and shows again on the order page', async () => {
    const { page, reference } = await buy('now-and-forever')
    const link = downloadLink(page)
    await expect(link.textContent()).resolves.toBe('Download Now and Forever - Richard Marx')
    const href = await link.getAttribute('href')
    const { filename, body } = await follow(link)
    expect(filename).toBe('Now and Forever - Richard Marx.wav')
    expect(isWav(body)).toBe(true)
    expect(shop.stack.fulfilments.get(reference)).toMatchObject({ item: 'now-and-forever' })

    // later in the tab, the order page finds the order with the token the return page kept
    await page.getByRole('link', { name: 'Your order' }).click()
    await page.waitForURL(/\/order$/)
    await expect(downloadLink(page).getAttribute('href')).resolves.toBe(href)
  })

  it('is issued once per order: a redelivered order.paid issues no second link', async () => {
    const { page, reference } = await buy('hold-on')
    const href = await downloadLink(page).getAttribute('href')
    const issued = shop.stack.fulfilments.get(reference)
    const query = `?callerReference=${encodeURIComponent(reference)}&type=order.paid`
    const paidEvents = async () =>
      (await admin<{ events: EventRecord[] }>(`/events${query}`)).events
    const [paid] = await paidEvents()
    if (!paid) throw new Error(`No order.paid event for ${reference}`)

    // a second link, were one issued, would carry a later expiry
    shop.stack.travel(60_000)
    await admin(`/events/${paid.event.id}/redeliver`, 'POST')
    await expect
      .poll(async () => (await paidEvents())[0]?.delivery)
      .toMatchObject({ state: 'delivered', attempts: [{}, {}] })
    expect(shop.stack.fulfilments.get(reference)).toEqual(issued)
    await page.reload()
    await expect(downloadLink(page).getAttribute('href')).resolves.toBe(href)
  })

  it('reaches a buyer who closed the tab before the return: the sweep and the IPN pay the order, and the download is ready on the next visit and on the orders list', async () => {
    const page = await shop.open()
    await startCheckout(page, 'repeat-offender')
    await signIn(page, 'alice@buyer.example')
    await chooseMethod(page, 'CC')
    const reference = callerReferenceOf(await confirmAndCloseTab(page))
    await expect(shop.stack.order(reference)).resolves.toMatchObject({ status: 'created' })

    // the sweep finds the token the buyer installed and charges it; the card's IPN completes it
    await expect(shop.stack.signer.sweep()).resolves.toMatchObject({ recovered: 1 })

    // the buyer comes back later, in a new tab: the order page opens the order with the token
    // the button kept at checkout, and the download is there once the card's IPN has come
    const later = await nextVisit(shop.watched)
    await later.goto(`${shop.stack.shopUrl}/order`)
    const own = downloadLink(later)
    await own.waitFor({ timeout: 20_000 })
    await expect(own.textContent()).resolves.toBe('Download Repeat Offender (album) - Richard Marx')
    const { filename, body } = await follow(own)
    expect(filename).toBe('Repeat Offender (album) - Richard Marx.wav')
    expect(isWav(body)).toBe(true)

    await onOrdersPage(shop, async (orders) => {
      const link = orderRow(orders, reference).getByRole('link', { name: 'Download link' })
      await expect(link.getAttribute('href')).resolves.toBe(await own.getAttribute('href'))
    })
    await expect(shop.stack.order(reference)).resolves.toMatchObject({ status: 'success' })
    expect(shop.stack.charges(reference)).toEqual([
      expect.objectContaining({ status: 'Success', amount: 999 }),
    ])
  })

  it('refuses a tampered link, and the link once it has expired', async () => {
    const { page } = await buy('right-here-waiting')
    const href = await downloadLink(page).getAttribute('href')
    const link = new URL(href ?? '', shop.stack.shopUrl)
    const signature = link.searchParams.get('signature') ?? ''
    const forged = new URL(link)
    forged.searchParams.set('signature', `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`)
    const extended = new URL(link)
    extended.searchParams.set('expires', String(Number(link.searchParams.get('expires')) + 86_400))
    for (const tampered of [forged, extended]) {
      await page.goto(tampered.href)
      await page.getByText('This download link is not valid.').waitFor()
    }
    acceptRefusals(shop.watched, 403)

    // links last seven days
    shop.stack.travel(8 * 24 * 60 * 60_000)
    await page.goto(link.href)
    await page.getByText('This download link has expired.').waitFor()
    acceptRefusals(shop.watched, 410)
    await page.goto(`${shop.stack.shopUrl}/order`)
    await page.getByText('Your download link has expired.').waitFor()
  })
})
