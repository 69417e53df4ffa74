import { describe, expect, it } from 'vitest'
import type {} from '../src/index.js'
import { lastEvent, part, type Tab, useBrowser } from './browser.js'

const t = useBrowser()

/** The test server by another name: another origin, as a signer on its own host would be. */
const elsewhere = () => t.server.origin.replace('127.0.0.1', 'localhost')

const button = (signer: string) =>
  `<fps-buy-button signer="${signer}" amount="1.00" reason="x"></fps-buy-button>`

/** Clicks the button and answers what the buyer reads and what `fps-error` carried. */
async function failedCheckout(tab: Tab) {
  const host = tab.page.locator('fps-buy-button')
  await host.locator('button').click()
  await expect.poll(() => lastEvent(tab.page, 'fps-error')).not.toBeNull()
  return {
    shown: await part(host, 'message').textContent(),
    error: await lastEvent(tab.page, 'fps-error'),
  }
}

/** Takes the console errors the browser logs for a refusal the test provokes, and no others. */
function acceptLogged(tab: Tab, refusal: RegExp): void {
  const logged = tab.problems.splice(0)
  expect(logged.length).toBeGreaterThan(0)
  for (const line of logged) expect(line).toMatch(refusal)
}

describe('a checkout request that gets no answer', () => {
  it('starts on plain http at a host other than localhost, where crypto.randomUUID is missing', async () => {
    // the test server as a proxy: the page is at http://staging.shop.test, not a secure context
    const page = t.server.page(button('/fps')).replace(t.server.origin, 'http://staging.shop.test')
    const tab = await t.open(page, { proxy: { server: t.server.origin } })
    const insecure = await tab.page.evaluate(() => ({
      secure: window.isSecureContext,
      randomUUID: 'randomUUID' in crypto,
    }))
    expect(insecure).toEqual({ secure: false, randomUUID: false })
    const before = t.server.requests('/fps/checkout').length
    await tab.page.locator('fps-buy-button button').click()
    await tab.page.waitForURL('**/cbui?callerReference=ord_*')
    const [request] = t.server.requests('/fps/checkout').slice(before)
    expect(request?.headers.origin).toBe('http://staging.shop.test')
    expect(request?.headers['idempotency-key']).toMatch(/^[0-9a-f]{32}$/)
  })

  it("is `blocked` when the page's CSP refuses the signer, and says what to add to connect-src", async () => {
    const before = t.server.received.length
    const tab = await t.open(t.server.page(button(`${elsewhere()}/fps`)))
    const { shown, error } = await failedCheckout(tab)
    expect(shown).toBe('Payments are unavailable on this page.')
    expect(error).toEqual({
      code: 'blocked',
      status: 0,
      message: `The page's CSP blocks the signer: add ${elsewhere()} to its connect-src.`,
      composed: true,
    })
    // the browser sent nothing
    expect(t.server.received.length).toBe(before)
    acceptLogged(tab, /Content Security Policy|CSP violation: connect-src/)
  })

  it('is `unreachable` when a signer on another origin refuses this one, and names FPS_ALLOWED_ORIGINS', async () => {
    const before = t.server.requests('/fps/checkout').length
    const page = t.server.page(button(`${elsewhere()}/fps`), { connect: elsewhere() })
    const tab = await t.open(page)
    const { shown, error } = await failedCheckout(tab)
    expect(shown).toBe('Payments are unavailable. Try again later.')
    expect(error).toEqual({
      code: 'unreachable',
      status: 0,
      message:
        `The signer at ${elsewhere()}/fps/checkout could not be reached or refused this origin: ` +
        `is it running, with ${t.server.origin} in FPS_ALLOWED_ORIGINS?`,
      composed: true,
    })
    // the signer was reached: it answered the preflight, without the CORS headers
    const sent = t.server.requests('/fps/checkout').slice(before)
    expect(sent.map((r) => [r.method, r.headers.origin])).toEqual([['OPTIONS', t.server.origin]])
    acceptLogged(tab, /blocked by CORS policy/)
  })

  it('is `unreachable` when the signer on this origin does not answer', async () => {
    const tab = await t.open(t.server.page(button('/down')))
    const { shown, error } = await failedCheckout(tab)
    expect(shown).toBe('Payments are unavailable. Try again later.')
    expect(error).toEqual({
      code: 'unreachable',
      status: 0,
      message: `The signer at ${t.server.origin}/down/checkout could not be reached: is it running?`,
      composed: true,
    })
  })

  it('is `network` when the browser is offline', async () => {
    const tab = await t.open(t.server.page(button('/fps')), {})
    await tab.page.context().setOffline(true)
    const { shown, error } = await failedCheckout(tab)
    expect(shown).toBe('No connection. Try again.')
    expect(error).toEqual({
      code: 'network',
      status: 0,
      message: 'The browser is offline.',
      composed: true,
    })
  })

  it('is told the same way on the return page', async () => {
    const page = t.server.page(`<fps-return signer="${elsewhere()}/fps"></fps-return>`)
    const tab = await t.open(`${page}?status=SA&callerReference=ord_x&signature=good`)
    await expect.poll(() => lastEvent(tab.page, 'fps-error')).toMatchObject({ code: 'blocked' })
    const title = part(tab.page.locator('fps-return'), 'title')
    expect(await title.textContent()).toContain('Payments are unavailable on this page.')
    acceptLogged(tab, /Content Security Policy|CSP violation: connect-src/)
  })
})
