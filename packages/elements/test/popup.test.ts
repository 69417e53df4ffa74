import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type {} from '../src/index.js'
import { lastEvent, part, type Tab, useBrowser } from './browser.js'
import type { PageOptions } from './server.js'

const t = useBrowser()

const song =
  '<fps-buy-button mode="popup" amount="0.90" reason="Now and Forever - Richard Marx" item="now-and-forever"></fps-buy-button>'

/** The state the button reports, read from its custom states. */
const state = (tab: Tab) =>
  tab.page.$eval('fps-buy-button', (el) =>
    ['idle', 'loading', 'error', 'success', 'pending', 'failure'].find((s) =>
      el.matches(`:state(${s})`)
    )
  )

/** Clicks the button and answers the popup once it is on the payment pages, and its order. */
async function checkoutInPopup(tab: Tab): Promise<{ popup: Page; ref: string; key: string }> {
  const [popup] = await Promise.all([
    tab.page.waitForEvent('popup'),
    tab.page.locator('fps-buy-button button').click(),
  ])
  await popup.waitForURL('**/cbui?callerReference=ord_*')
  const ref = new URL(popup.url()).searchParams.get('callerReference') ?? ''
  const key = t.server.requests('/fps/checkout').at(-1)?.headers['idempotency-key'] as string
  return { popup, ref, key }
}

/**
 * Navigates as the page itself would (a link, a redirect), which keeps its opener; Playwright's
 * `goto` is the address bar's navigation, after which Chromium drops the opener of another site.
 */
async function go(page: Page, url: string): Promise<void> {
  await page.evaluate((to) => location.assign(to), url)
  await page.waitForURL(url, { waitUntil: 'commit' })
}

/** Sends the popup back from the payment pages as CBUI does: to the return page, with the query. */
async function returnTo(popup: Page, ref: string, status: string, options?: PageOptions) {
  const query = `status=${status}&tokenID=T-${ref}&callerReference=${ref}&signature=good`
  await go(popup, `${t.server.page('<fps-return></fps-return>', options)}?${query}`)
}

const attempts = (tab: Tab) => tab.page.evaluate(() => sessionStorage.getItem('fps:attempts'))

describe('<fps-buy-button mode="popup">', () => {
  it.each([
    ['with its opener', {}],
    // the popup's visit to the payment pages (no such header) puts it in another browsing
    // context group, and window.opener is null from then on
    ['under Cross-Origin-Opener-Policy: same-origin', { isolated: true }],
  ])(
    'hears the return page in the popup %s: shows the payment, fires fps-return-verified, the popup closes and the attempt ends',
    async (_, options: PageOptions) => {
      const tab = await t.open(t.server.page(song, options))
      const first = await checkoutInPopup(tab)
      const cutOff = await first.popup.evaluate(() => window.opener === null)
      expect(cutOff).toBe(Boolean(options.isolated))
      await returnTo(first.popup, first.ref, 'SA', options)
      await expect.poll(() => first.popup.isClosed()).toBe(true)
      const host = tab.page.locator('fps-buy-button')
      await expect.poll(() => state(tab)).toBe('success')
      expect(await part(host, 'message').textContent()).toBe('Payment complete')
      expect(await lastEvent(tab.page, 'fps-return-verified')).toMatchObject({
        callerReference: first.ref,
        status: 'success',
        transactionId: `TX-${first.ref}`,
        composed: true,
      })
      expect(await attempts(tab)).toBe('{}')

      // the next click is a new purchase: a new key, a new order
      const second = await checkoutInPopup(tab)
      expect(second.key).not.toBe(first.key)
      expect(second.ref).not.toBe(first.ref)
      expect(await part(host, 'message').textContent()).toBe('')
    }
  )

  it('hears a cancelled payment: fps-return-incomplete, and the same order on the next click', async () => {
    const tab = await t.open(t.server.page(song))
    const first = await checkoutInPopup(tab)
    await returnTo(first.popup, first.ref, 'A')
    await expect.poll(() => first.popup.isClosed()).toBe(true)
    await expect.poll(() => state(tab)).toBe('failure')
    const host = tab.page.locator('fps-buy-button')
    expect(await part(host, 'message').textContent()).toBe('Payment cancelled')
    expect(await lastEvent(tab.page, 'fps-return-incomplete')).toMatchObject({
      status: 'A',
      outcome: 'abandoned',
    })
    expect(await lastEvent(tab.page, 'fps-return-verified')).toBeNull()
    // nothing was paid, so the order stays open: a new click takes the buyer back to it
    const second = await checkoutInPopup(tab)
    expect([second.key, second.ref]).toEqual([first.key, first.ref])
  })

  it('ignores reports from other origins and messages of another shape', async () => {
    const tab = await t.open(t.server.page(song))
    const { popup, ref } = await checkoutInPopup(tab)
    const forged = { order: { callerReference: ref, status: 'success', amount: '666.00' } }
    const post = (page: Page, messages: unknown[]) =>
      page.evaluate(
        ([channel, messages]) => {
          const sender = new BroadcastChannel(channel as string)
          for (const message of messages as unknown[]) sender.postMessage(message)
          sender.close()
        },
        [`fps:return:${ref}`, messages]
      )
    // another origin, on a channel of the same name (channels never cross origins)
    await go(popup, t.server.page('<p>elsewhere</p>').replace('127.0.0.1', 'localhost'))
    await post(popup, [forged])
    // this origin, in other shapes
    await go(popup, t.server.page('<p>here</p>'))
    await post(popup, [{ order: { status: 1 } }, { returned: null }, {}, 'heard', null])

    // the return page's report, sent after all of them, is the one heard
    await returnTo(popup, ref, 'SA')
    await expect.poll(() => popup.isClosed()).toBe(true)
    await expect.poll(() => state(tab)).toBe('success')
    expect(await lastEvent(tab.page, 'fps-return-verified')).toMatchObject({ amount: '0.90' })
  })

  it('keeps the popup open, showing the outcome, when the page that opened it has moved on', async () => {
    const tab = await t.open(t.server.page(song))
    const { popup, ref } = await checkoutInPopup(tab)
    await tab.page.goto(t.server.page('<p>another page</p>'))
    await returnTo(popup, ref, 'SA')
    const title = part(popup.locator('fps-return'), 'title')
    await expect.poll(() => title.textContent()).toContain('Payment complete')
    expect(popup.isClosed()).toBe(false)
  })
})
