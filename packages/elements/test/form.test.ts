import { describe, expect, it } from 'vitest'
import type {} from '../src/index.js'
import { useBrowser } from './browser.js'

const t = useBrowser()

/** The documented no-JavaScript fallback: hidden fields and a real submit button. */
const fallback = (extra = '') => `<form method="post" action="/fps/checkout">
  <input type="hidden" name="amount" value="0.90">
  <input type="hidden" name="currencyCode" value="USD">
  <input type="hidden" name="reason" value="Now and Forever - Richard Marx">
  <input type="hidden" name="item" value="now-and-forever">
  ${extra}
  <fps-buy-button amount="0.90" reason="Now and Forever - Richard Marx" item="now-and-forever">
    <button>Pay with Amazon</button>
  </fps-buy-button>
</form>`

describe('<fps-buy-button> in a form', () => {
  it('hides the fallback button and checks out with JSON instead of the native post', async () => {
    const tab = await t.open(t.server.page(fallback()))
    expect(await tab.page.locator('form button:not([part])').isVisible()).toBe(false)
    const before = t.server.requests('/fps/checkout').length
    await tab.page
      .locator('fps-buy-button')
      .getByRole('button', { name: /Pay with Amazon/ })
      .click()
    await tab.page.waitForURL('**/cbui?**')
    const sent = t.server.requests('/fps/checkout').slice(before)
    expect(sent.map((r) => r.headers['content-type'])).toEqual(['application/json'])
  })

  it('without JavaScript, the same markup posts the form and the signer redirects (303)', async () => {
    const before = t.server.requests('/fps/checkout').length
    const tab = await t.open(t.server.page(fallback()), { javaScriptEnabled: false })
    await tab.page.locator('form button:not([part])').click()
    await tab.page.waitForURL('**/cbui?**')
    const [post] = t.server.requests('/fps/checkout').slice(before)
    expect(post?.headers['content-type']).toBe('application/x-www-form-urlencoded')
    expect(Object.fromEntries(new URLSearchParams(post?.body))).toEqual({
      amount: '0.90',
      currencyCode: 'USD',
      reason: 'Now and Forever - Richard Marx',
      item: 'now-and-forever',
    })
  })

  it('respects <fieldset disabled>', async () => {
    const before = t.server.requests('/fps/checkout').length
    const tab = await t.open(
      t.server.page(
        '<form><fieldset disabled><fps-buy-button amount="1.00" reason="x"></fps-buy-button></fieldset></form>'
      )
    )
    const button = tab.page.locator('fps-buy-button').getByRole('button')
    await expect.poll(() => button.isDisabled()).toBe(true)
    await button.click({ force: true })
    expect(t.server.requests('/fps/checkout').length).toBe(before)
    await tab.page.$eval('fieldset', (f) => {
      f.disabled = false
    })
    await expect.poll(() => button.isDisabled()).toBe(false)
    await button.click()
    await tab.page.waitForURL('**/cbui?**')
  })

  it("submits its form: the form's validation and submit listeners run first", async () => {
    const before = t.server.requests('/fps/checkout').length
    const tab = await t.open(t.server.page(fallback('<input name="email" type="email" required>')))
    await tab.page.evaluate(() => {
      document.querySelector('form')?.addEventListener('submit', () => {
        document.body.dataset.submits = String(Number(document.body.dataset.submits ?? 0) + 1)
      })
    })
    const button = tab.page.locator('fps-buy-button').getByRole('button', { name: /Pay/ })
    await button.click()
    expect(await tab.page.locator('input[name=email]').evaluate((i) => i.matches(':invalid'))).toBe(
      true
    )
    expect(await tab.page.locator('body').getAttribute('data-submits')).toBeNull()
    expect(t.server.requests('/fps/checkout').length).toBe(before)

    await tab.page.fill('input[name=email]', 'buyer@example.com')
    await button.click()
    await tab.page.waitForURL('**/cbui?**')
    const sent = t.server.requests('/fps/checkout').slice(before)
    expect(sent.map((r) => r.headers['content-type'])).toEqual(['application/json'])
  })

  it("lets the page's submit listener veto the checkout", async () => {
    const before = t.server.requests('/fps/checkout').length
    const tab = await t.open(t.server.page(fallback()))
    await tab.page.evaluate(() => {
      document.querySelector('form')?.addEventListener('submit', (e) => {
        e.preventDefault()
        document.body.dataset.vetoed = 'yes'
      })
    })
    await tab.page.locator('fps-buy-button').getByRole('button', { name: /Pay/ }).click()
    await expect.poll(() => tab.page.locator('body').getAttribute('data-vetoed')).toBe('yes')
    expect(t.server.requests('/fps/checkout').length).toBe(before)
    expect(tab.page.url()).toMatch(/\/p\/\d+$/)
  })
})
