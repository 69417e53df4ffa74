import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type {} from '../src/index.js'
import { lastEvent, part, screenshot, useBrowser } from './browser.js'

const t = useBrowser()

const song =
  '<fps-buy-button amount="0.90" reason="Now and Forever - Richard Marx" item="now-and-forever" logo="https://shop.example/logo.png"></fps-buy-button>'

/** The state the element reports, read from its custom states. */
const state = (tab: { page: Page }) =>
  tab.page.$eval('fps-buy-button', (el) =>
    ['idle', 'loading', 'error'].find((s) => el.matches(`:state(${s})`))
  )

describe('<fps-buy-button>', () => {
  it('renders a native button with its label and the amount in the page language', async () => {
    const tab = await t.open(t.server.page(song))
    const host = tab.page.locator('fps-buy-button')
    await expect.poll(() => part(host, 'button').textContent()).toContain('Pay with Amazon')
    expect(await part(host, 'amount').textContent()).toBe('$0.90')
    expect(await host.locator('button').getAttribute('aria-busy')).toBe('false')
    expect(await tab.page.getByRole('button', { name: 'Pay with Amazon $0.90' }).count()).toBe(1)
    expect(await state(tab)).toBe('idle')
    await screenshot(tab.page, 'buy-button-idle')

    const german = await t.open(
      t.server.page('<fps-buy-button amount="12.5" currency="EUR" reason="x"></fps-buy-button>', {
        lang: 'de-DE',
      })
    )
    const amount = part(german.page.locator('fps-buy-button'), 'amount')
    await expect.poll(() => amount.textContent()).toMatch(/^12,50\s€$/)
  })

  it('takes the language of the closest [lang] ancestor', async () => {
    const tab = await t.open(
      t.server.page(
        '<div lang="fr-FR"><fps-buy-button amount="3" currency="EUR" reason="x"></fps-buy-button></div>'
      )
    )
    const amount = part(tab.page.locator('fps-buy-button'), 'amount')
    await expect.poll(() => amount.textContent()).toMatch(/^3,00\s€$/)
  })

  it('reflects its properties to attributes and re-renders on attribute changes', async () => {
    const tab = await t.open(t.server.page(song))
    const attrs = await tab.page.$eval('fps-buy-button', async (el) => {
      el.amount = '1.25'
      el.mode = 'popup'
      el.disabled = true
      el.setAttribute('label', 'Buy the song')
      await el.updateComplete
      return {
        amount: el.getAttribute('amount'),
        mode: el.getAttribute('mode'),
        disabled: el.hasAttribute('disabled'),
        signer: el.getAttribute('signer'),
        label: el.label,
        text: el.shadowRoot?.querySelector('button')?.textContent?.replace(/\s+/g, ' ').trim(),
      }
    })
    expect(attrs).toEqual({
      amount: '1.25',
      mode: 'popup',
      disabled: true,
      signer: '/fps',
      label: 'Buy the song',
      text: 'Buy the song $1.25',
    })
  })

  it('posts the purchase with an Idempotency-Key, then goes to the signed URL', async () => {
    const tab = await t.open(t.server.page(song))
    await tab.page.locator('fps-buy-button button').click()
    await tab.page.waitForURL('**/cbui?callerReference=ord_*')
    const [request] = t.server.requests('/fps/checkout')
    expect(request?.method).toBe('POST')
    expect(request?.headers['content-type']).toBe('application/json')
    expect(request?.headers['idempotency-key']).toMatch(/^[0-9a-f]{32}$/)
    expect(JSON.parse(request?.body ?? '')).toEqual({
      amount: '0.90',
      currencyCode: 'USD',
      reason: 'Now and Forever - Richard Marx',
      logo: 'https://shop.example/logo.png',
      item: 'now-and-forever',
    })
  })

  it('is busy while the signer answers, and a double click sends one request', async () => {
    const before = t.server.requests('/fps/checkout').length
    const tab = await t.open(t.server.page(song))
    const release = t.server.hold('checkout')
    const host = tab.page.locator('fps-buy-button')
    await host.locator('button').dblclick()
    await expect.poll(() => host.locator('button').getAttribute('aria-busy')).toBe('true')
    expect(await state(tab)).toBe('loading')
    expect(await part(host, 'spinner').isVisible()).toBe(true)
    expect(await part(host, 'message').textContent()).toBe('Starting checkout…')
    await screenshot(tab.page, 'buy-button-loading')
    release()
    await tab.page.waitForURL('**/cbui?**')
    expect(t.server.requests('/fps/checkout').length - before).toBe(1)
  })

  it('keeps the Idempotency-Key across a reload and a retry, so there is one order', async () => {
    const start = t.server.requests('/fps/checkout').length
    const orders = t.server.orders.size
    const tab = await t.open(t.server.page(song))
    const button = tab.page.locator('fps-buy-button button')
    const release = t.server.hold('checkout')
    await button.click()
    await expect.poll(() => t.server.requests('/fps/checkout').length).toBe(start + 1)
    await tab.page.reload()
    release()
    t.server.reply('checkout', 503, { error: { code: 'upstream_error', message: 'FPS is down' } })
    await button.click()
    await expect.poll(() => state(tab)).toBe('error')
    await button.click()
    await tab.page.waitForURL('**/cbui?**')
    const keys = t.server
      .requests('/fps/checkout')
      .slice(start)
      .map((r) => r.headers['idempotency-key'])
    expect(keys).toHaveLength(3)
    expect(new Set(keys).size).toBe(1)
    expect(t.server.orders.size - orders).toBe(1)
  })

  it('respects reduced motion and forced colors', async () => {
    const tab = await t.open(t.server.page(song))
    await tab.page.emulateMedia({ reducedMotion: 'reduce', forcedColors: 'active' })
    const release = t.server.hold('checkout')
    const host = tab.page.locator('fps-buy-button')
    await host.locator('button').click()
    const style = await part(host, 'spinner').evaluate((el) => {
      const s = getComputedStyle(el)
      const button = getComputedStyle(el.closest('button') as Element)
      return {
        duration: s.animationDuration,
        gap: s.borderRightColor,
        ring: s.borderTopColor,
        border: `${button.borderTopStyle} ${button.borderTopWidth}`,
      }
    })
    expect(style.duration).toBe('4s')
    // the ring keeps its gap (so it still reads as a spinner) in system colours
    expect(style.gap).toBe('rgba(0, 0, 0, 0)')
    expect(style.ring).not.toBe(style.gap)
    expect(style.border).toBe('solid 1px')
    release()
    await tab.page.waitForURL('**/cbui?**')
    // the page is shared: the next tests (and their screenshots) see the default media again
    await tab.page.emulateMedia({ reducedMotion: null, forcedColors: null })
  })

  it('uses another key for another purchase', async () => {
    const tab = await t.open(
      t.server.page(`${song}<fps-buy-button amount="5.00" reason="Donation"></fps-buy-button>`)
    )
    const start = t.server.requests('/fps/checkout').length
    const release = t.server.hold('checkout')
    await tab.page.locator('fps-buy-button').nth(0).locator('button').click()
    await expect.poll(() => t.server.requests('/fps/checkout').length).toBe(start + 1)
    await tab.page.locator('fps-buy-button').nth(1).locator('button').click()
    await expect.poll(() => t.server.requests('/fps/checkout').length).toBe(start + 2)
    const [a, b] = t.server.requests('/fps/checkout').slice(start)
    expect(a?.headers['idempotency-key']).not.toBe(b?.headers['idempotency-key'])
    release()
    // the released answers send the page to the CBUI; let that happen here, not in the next test
    await tab.page.waitForURL('**/cbui?**')
  })

  it("shows the signer's error as a message for the buyer, fires fps-error, and retries", async () => {
    const tab = await t.open(t.server.page(song))
    t.server.reply('checkout', 422, {
      error: { code: 'price_mismatch', message: 'The price of "now-and-forever" is 0.90 USD' },
    })
    const host = tab.page.locator('fps-buy-button')
    await host.locator('button').click()
    await expect.poll(() => state(tab)).toBe('error')
    expect(await part(host, 'message').textContent()).toBe('The price changed. Reload the page.')
    expect(await part(host, 'message').getAttribute('role')).toBe('status')
    expect(await part(host, 'label').textContent()).toBe('Try again')
    expect(await lastEvent(tab.page, 'fps-error')).toEqual({
      code: 'price_mismatch',
      message: 'The price of "now-and-forever" is 0.90 USD',
      status: 422,
      composed: true,
    })
    await screenshot(tab.page, 'buy-button-error')
    await host.locator('button').click()
    await tab.page.waitForURL('**/cbui?**')
  })

  it("says so when the signer does not answer, shows the signer's message for other codes, and a generic one without it", async () => {
    const tab = await t.open(
      t.server.page(
        '<fps-buy-button signer="/down" amount="1.00" reason="x"></fps-buy-button><fps-buy-button amount="500.00" reason="y"></fps-buy-button><fps-buy-button amount="1.00" reason="z"></fps-buy-button>'
      )
    )
    const [down, bounds, bare] = [0, 1, 2].map((i) => tab.page.locator('fps-buy-button').nth(i))
    await down?.locator('button').click()
    await expect
      .poll(() => part(down!, 'message').textContent())
      .toBe('Payments are unavailable. Try again later.')
    const tooMuch = 'An amount for "donation" must be between 1.00 and 100.00 USD.'
    t.server.reply('checkout', 422, { error: { code: 'amount_out_of_bounds', message: tooMuch } })
    await bounds?.locator('button').click()
    await expect.poll(() => part(bounds!, 'message').textContent()).toBe(tooMuch)
    t.server.reply('checkout', 502, {})
    await bare?.locator('button').click()
    await expect.poll(() => part(bare!, 'message').textContent()).toBe('Something went wrong.')
  })

  it('can be disabled: no click, no request', async () => {
    const before = t.server.requests('/fps/checkout').length
    const tab = await t.open(
      t.server.page(song.replace('<fps-buy-button ', '<fps-buy-button disabled '))
    )
    const button = tab.page.locator('fps-buy-button button')
    await expect.poll(() => button.isDisabled()).toBe(true)
    await button.click({ force: true })
    await screenshot(tab.page, 'buy-button-disabled')
    await tab.page.$eval('fps-buy-button', (el) => el.removeAttribute('disabled'))
    await expect.poll(() => button.isDisabled()).toBe(false)
    expect(t.server.requests('/fps/checkout').length).toBe(before)
  })

  it('fires a cancelable, composed fps-checkout event with the request; cancelling stops it', async () => {
    const before = t.server.requests('/fps/checkout').length
    const tab = await t.open(t.server.page(song))
    await tab.page.evaluate(() => {
      document.addEventListener('fps-checkout', (e) => e.preventDefault())
    })
    await tab.page.locator('fps-buy-button button').click()
    await expect
      .poll(() => lastEvent(tab.page, 'fps-checkout'))
      .toEqual({
        amount: '0.90',
        currencyCode: 'USD',
        reason: 'Now and Forever - Richard Marx',
        logo: 'https://shop.example/logo.png',
        item: 'now-and-forever',
        composed: true,
      })
    expect(await state(tab)).toBe('idle')
    expect(t.server.requests('/fps/checkout').length).toBe(before)
  })

  it('works from the keyboard: Tab reaches the button, Enter and Space start checkout', async () => {
    for (const key of ['Enter', ' ']) {
      const before = t.server.requests('/fps/checkout').length
      const tab = await t.open(t.server.page(song))
      await tab.page.keyboard.press('Tab')
      const focused = await tab.page.$eval('fps-buy-button', (el) =>
        el.shadowRoot?.activeElement?.matches('button:focus-visible')
      )
      expect(focused).toBe(true)
      await tab.page.keyboard.press(key)
      await tab.page.waitForURL('**/cbui?**')
      expect(t.server.requests('/fps/checkout').length).toBe(before + 1)
    }
  })

  it('popup mode opens the window on the click, then sends it to the signed URL', async () => {
    const tab = await t.open(
      t.server.page(song.replace('<fps-buy-button ', '<fps-buy-button mode="popup" '))
    )
    const release = t.server.hold('checkout')
    const [popup] = await Promise.all([
      tab.page.waitForEvent('popup'),
      tab.page.locator('fps-buy-button button').click(),
    ])
    expect(popup.url()).toBe('about:blank')
    release()
    await popup.waitForURL('**/cbui?**')
    expect(tab.page.url()).toMatch(/\/p\/\d+$/)
    await expect.poll(() => state(tab)).toBe('idle')
  })

  it('popup mode closes the window when the signer refuses', async () => {
    const tab = await t.open(
      t.server.page(song.replace('<fps-buy-button ', '<fps-buy-button mode="popup" '))
    )
    t.server.reply('checkout', 422, { error: { code: 'unknown_item', message: 'no such item' } })
    const [popup] = await Promise.all([
      tab.page.waitForEvent('popup'),
      tab.page.locator('fps-buy-button button').click(),
    ])
    await expect.poll(() => popup.isClosed()).toBe(true)
    expect(await state(tab)).toBe('error')
  })

  it('falls back to this tab when the popup is blocked', async () => {
    const tab = await t.open(
      t.server.page(song.replace('<fps-buy-button ', '<fps-buy-button mode="popup" '))
    )
    await tab.page.evaluate(() => {
      window.open = () => null
    })
    await tab.page.locator('fps-buy-button button').click()
    await tab.page.waitForURL('**/cbui?**')
  })

  it('takes text overrides from the strings attribute', async () => {
    const strings = JSON.stringify({ label: 'Payer', unreachable: 'Paiement indisponible.' })
    const tab = await t.open(
      t.server.page(
        `<fps-buy-button signer="/down" amount="1" reason="x" strings='${strings}'></fps-buy-button>`
      )
    )
    const host = tab.page.locator('fps-buy-button')
    await expect.poll(() => part(host, 'label').textContent()).toBe('Payer')
    await host.locator('button').click()
    await expect.poll(() => part(host, 'message').textContent()).toBe('Paiement indisponible.')
  })

  it('is usable again when Back restores the page from the back/forward cache', async () => {
    const tab = await t.open(t.server.page(song))
    await tab.page.evaluate(() => {
      addEventListener('pageshow', (e) => {
        document.documentElement.dataset.restored = String(e.persisted)
      })
    })
    await tab.page.locator('fps-buy-button button').click()
    await tab.page.waitForURL('**/cbui?**')
    await tab.page.goBack({ waitUntil: 'commit' })
    await expect.poll(() => tab.page.locator('html').getAttribute('data-restored')).toBe('true')
    await expect.poll(() => state(tab)).toBe('idle')
  })
})

describe('<fps-buy-button> for a plan (every)', () => {
  const plan = (attributes: string) =>
    `<fps-buy-button item="streaming-monthly" reason="Unlimited streaming" ${attributes}></fps-buy-button>`
  /** The button's text as one line, and its label and amount parts. */
  const read = (page: Page, nth = 0) =>
    page
      .locator('fps-buy-button')
      .nth(nth)
      .evaluate((el) => {
        const part = (name: string) =>
          el.shadowRoot?.querySelector(`[part="${name}"]`)?.textContent?.trim()
        return {
          text: el.shadowRoot?.querySelector('button')?.textContent?.replace(/\s+/g, ' ').trim(),
          label: part('label'),
          amount: part('amount'),
        }
      })

  it('reads "Subscribe · $4.99/month", and "every 3 months" for a longer period', async () => {
    const tab = await t.open(
      t.server.page(
        plan('amount="4.99" every="1 Month"') +
          plan('amount="9.99" every="3 Months"') +
          plan('amount="49.00" every="1 Year" label="Join"')
      )
    )
    await expect
      .poll(() => read(tab.page))
      .toEqual({
        text: 'Subscribe · $4.99/month',
        label: 'Subscribe',
        amount: '$4.99/month',
      })
    expect(await read(tab.page, 1)).toMatchObject({ text: 'Subscribe · $9.99 every 3 months' })
    expect(await read(tab.page, 2)).toMatchObject({ text: 'Join · $49.00/year' })
    expect(await tab.page.getByRole('button', { name: 'Subscribe · $4.99/month' }).count()).toBe(1)
    expect(await tab.page.$eval('fps-buy-button', (el) => el.getAttribute('every'))).toBe('1 Month')
    await screenshot(tab.page, 'buy-button-subscribe')
  })

  it("formats the price and the period in the page's language, the words from strings", async () => {
    const strings = JSON.stringify({ subscribe: 'Abonnieren', every: 'alle' })
    const tab = await t.open(
      t.server.page(
        plan('amount="4.99" every="1 Month"') +
          plan(`amount="9.99" every="2 Weeks" strings='${strings}'`),
        { lang: 'de-DE' }
      )
    )
    await expect.poll(() => read(tab.page)).toMatchObject({ amount: '4,99\u00a0$/Monat' })
    expect(await read(tab.page, 1)).toEqual({
      text: 'Abonnieren · 9,99 $ alle 2 Wochen',
      label: 'Abonnieren',
      amount: '9,99\u00a0$ alle 2 Wochen',
    })
  })

  it('shows a period Intl does not know as written', async () => {
    const tab = await t.open(
      t.server.page(plan('amount="4.99" every="monthly"') + plan('amount="1" every="1 Fortnight"'))
    )
    await expect.poll(() => read(tab.page)).toMatchObject({ amount: '$4.99 monthly' })
    expect(await read(tab.page, 1)).toMatchObject({ amount: '$1.00 1 Fortnight' })
  })

  it('posts the same checkout as any catalog item: the plan is the signer’s to know', async () => {
    const tab = await t.open(t.server.page(plan('amount="4.99" every="1 Month"')))
    await tab.page.locator('fps-buy-button button').click()
    await tab.page.waitForURL('**/cbui?callerReference=ord_*')
    const request = t.server.requests('/fps/checkout').at(-1)
    expect(request?.headers['idempotency-key']).toMatch(/^[0-9a-f]{32}$/)
    expect(JSON.parse(request?.body ?? '')).toEqual({
      amount: '4.99',
      currencyCode: 'USD',
      reason: 'Unlimited streaming',
      item: 'streaming-monthly',
    })
  })
})
