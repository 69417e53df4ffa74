import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type {} from '../src/index.js'
import { lastEvent, part, screenshot, useBrowser } from './browser.js'

const t = useBrowser()

let orders = 0

/** A fresh order at the fake signer, and the query CBUI would append for it. */
function cbuiReturn(status: string, signature = 'good') {
  orders += 1
  const ref = `ord_ret_${orders}`
  t.server.seed({
    callerReference: ref,
    amount: '0.90',
    currencyCode: 'USD',
    reason: 'Now and Forever - Richard Marx',
  })
  const query =
    `status=${status}&tokenID=T${orders}&callerReference=${ref}&expiry=10%2F2031` +
    `&signatureMethod=RSA-SHA1&signatureVersion=2` +
    `&certificateUrl=https%3A%2F%2Ffps.example%2Fcert.pem&signature=${signature}`
  return { ref, query }
}

/** Opens a return page as CBUI's redirect would, with the return parameters in its query. */
async function openReturn(query: string, body = '<fps-return></fps-return>') {
  const url = `${t.server.page(body)}?${query}`
  return { tab: await t.open(url), path: new URL(url).pathname }
}

const title = (page: Page) => part(page.locator('fps-return'), 'title').textContent()

describe('<fps-return>', () => {
  it('posts the return query untouched, shows success, and cleans the address bar', async () => {
    const { ref, query } = cbuiReturn('SA')
    const { tab, path } = await openReturn(query)
    await expect.poll(() => title(tab.page)).toContain('Payment complete')
    const [post] = t.server.requests('/fps/return').filter((r) => r.body.includes(ref))
    expect(post?.headers['content-type']).toBe('application/json')
    expect(JSON.parse(post?.body ?? '')).toEqual({ query })
    const host = tab.page.locator('fps-return')
    expect(await part(host, 'amount').textContent()).toBe('$0.90')
    expect(await part(host, 'details').textContent()).toContain('Now and Forever - Richard Marx')
    expect(await part(host, 'transaction').textContent()).toBe(`Transaction TX-${ref}`)
    expect(new URL(tab.page.url()).pathname + new URL(tab.page.url()).search).toBe(path)
    expect(await lastEvent(tab.page, 'fps-return-verified')).toMatchObject({
      callerReference: ref,
      status: 'success',
    })
    const saved = await tab.page.evaluate(() => localStorage.getItem('fps:order'))
    expect(JSON.parse(saved ?? '')).toEqual({ ref, token: `token-${ref}` })
    await screenshot(tab.page, 'return-success')
  })

  it('on reload, shows the stored outcome through the order look-up, without resubmitting', async () => {
    const { ref, query } = cbuiReturn('SB')
    const { tab } = await openReturn(query)
    await expect.poll(() => title(tab.page)).toContain('Payment pending')
    const posts = t.server.requests('/fps/return').length
    const order = t.server.orders.get(ref)
    if (order) order.status = 'refunded'
    await tab.page.reload()
    await expect.poll(() => title(tab.page)).toContain('Payment refunded')
    expect(t.server.requests('/fps/return').length).toBe(posts)
    const [lookup] = t.server.requests(`/fps/orders/${ref}`)
    expect(lookup?.method).toBe('GET')
    expect(lookup?.headers.authorization).toBe(`Bearer token-${ref}`)
    expect(await lastEvent(tab.page, 'fps-return-verified')).toBeNull()
  })

  it('in a later tab of the same browser, looks up the last order again with the token kept from the return', async () => {
    const { ref, query } = cbuiReturn('SB')
    const { tab } = await openReturn(query)
    await expect.poll(() => title(tab.page)).toContain('Payment pending')
    const order = t.server.orders.get(ref)
    if (order) order.status = 'success'
    const later = await tab.page.context().newPage()
    await later.goto(t.server.page('<fps-return></fps-return>'))
    await expect.poll(() => title(later)).toContain('Payment complete')
    const lookups = t.server.requests(`/fps/orders/${ref}`)
    expect(lookups.map((lookup) => lookup.headers.authorization)).toEqual([`Bearer token-${ref}`])
    expect(await lastEvent(later, 'fps-return-verified')).toBeNull()
  })

  it('shows a pending payment', async () => {
    const { tab } = await openReturn(cbuiReturn('SB').query)
    await expect.poll(() => title(tab.page)).toContain('Payment pending')
    expect(await tab.page.$eval('fps-return', (el) => el.matches(':state(pending)'))).toBe(true)
    await screenshot(tab.page, 'return-pending')
  })

  it('follows a pending payment until it completes, quietly and without a reload', async () => {
    const { ref, query } = cbuiReturn('SB')
    const { tab } = await openReturn(query)
    await expect.poll(() => title(tab.page)).toContain('Payment pending')
    await tab.page.evaluate(() => {
      const box = document.querySelector('fps-return')?.shadowRoot?.querySelector('[part=box]')
      const seen: (string | null)[] = []
      Object.assign(window, { busy: seen })
      new MutationObserver(() => seen.push(box?.getAttribute('aria-busy') ?? null)).observe(box!, {
        attributes: true,
      })
    })
    t.server.seed({
      callerReference: ref,
      amount: '0.90',
      currencyCode: 'USD',
      reason: 'Now and Forever - Richard Marx',
      status: 'success',
    })
    await expect.poll(() => title(tab.page), { timeout: 10_000 }).toContain('Payment complete')
    expect(t.server.requests(`/fps/orders/${ref}`).length).toBeGreaterThan(0)
    expect(
      await tab.page.evaluate(() => (window as unknown as { busy: string[] }).busy)
    ).not.toContain('true')
  })

  it('shows an error and a cancelled return as failures and fires fps-return-incomplete', async () => {
    const failed = await openReturn(cbuiReturn('SE').query)
    await expect.poll(() => title(failed.tab.page)).toContain('Payment failed')
    expect(await failed.tab.page.$eval('fps-return', (el) => el.matches(':state(failure)'))).toBe(
      true
    )
    expect(await lastEvent(failed.tab.page, 'fps-return-incomplete')).toMatchObject({
      status: 'SE',
      outcome: 'system-error',
    })
    await screenshot(failed.tab.page, 'return-failure')
    const cancelled = await openReturn(cbuiReturn('A').query)
    await expect.poll(() => title(cancelled.tab.page)).toContain('Payment cancelled')
    expect(await lastEvent(cancelled.tab.page, 'fps-return-incomplete')).toMatchObject({
      status: 'A',
      outcome: 'abandoned',
      composed: true,
    })
    expect(new URL(cancelled.tab.page.url()).search).toBe('')
  })

  it('shows a refused return as rejected, fires fps-return-rejected, and cleans the address bar', async () => {
    const { tab, path } = await openReturn(cbuiReturn('SA', 'forged').query)
    await expect.poll(() => title(tab.page)).toContain('Invalid payment link.')
    expect(await lastEvent(tab.page, 'fps-return-rejected')).toMatchObject({
      code: 'signature_invalid',
      status: 403,
    })
    expect(new URL(tab.page.url()).pathname + new URL(tab.page.url()).search).toBe(path)
    await screenshot(tab.page, 'return-rejected')
  })

  it('keeps the parameters when the signer fails, and retries on request', async () => {
    const { query } = cbuiReturn('SA')
    t.server.reply('return', 502, { error: { code: 'upstream_error', message: 'FPS is down' } })
    const { tab } = await openReturn(query)
    await expect.poll(() => title(tab.page)).toContain('FPS is down')
    expect(await lastEvent(tab.page, 'fps-error')).toMatchObject({
      code: 'upstream_error',
      status: 502,
    })
    expect(new URL(tab.page.url()).search).toBe(`?${query}`)
    await screenshot(tab.page, 'return-error')
    await part(tab.page.locator('fps-return'), 'retry').click()
    await expect.poll(() => title(tab.page)).toContain('Payment complete')
  })

  it('is busy while the signer verifies', async () => {
    const release = t.server.hold('return')
    const { tab } = await openReturn(cbuiReturn('SA').query)
    const box = part(tab.page.locator('fps-return'), 'box')
    await expect.poll(() => box.getAttribute('aria-busy')).toBe('true')
    expect(await title(tab.page)).toContain('Checking your payment…')
    await screenshot(tab.page, 'return-loading')
    release()
    await expect.poll(() => box.getAttribute('aria-busy')).toBe('false')
  })

  it("ends this tab's purchase attempts, so the next click is a new order", async () => {
    const tab = await t.open(
      t.server.page('<fps-buy-button amount="1.00" reason="x"></fps-buy-button>')
    )
    await tab.page.locator('fps-buy-button button').click()
    await tab.page.waitForURL('**/cbui?**')
    const stored = () => tab.page.evaluate(() => sessionStorage.getItem('fps:attempts'))
    expect(Object.keys(JSON.parse((await stored()) ?? '{}'))).toHaveLength(1)
    const { query } = cbuiReturn('SA')
    await tab.page.goto(`${t.server.page('<fps-return></fps-return>')}?${query}`)
    await expect.poll(() => title(tab.page)).toContain('Payment complete')
    expect(JSON.parse((await stored()) ?? '')).toEqual({})
  })

  it('is the return of a purchase paid in one click: the address names the saved order, which is looked up, announced once, and ends the purchase attempts', async () => {
    const ref = 'ord_one_click'
    t.server.seed({ callerReference: ref, amount: '0.99', currencyCode: 'USD', reason: 'Hold On' })
    const order = t.server.orders.get(ref)
    if (order) order.status = 'success'
    const tab = await t.open(t.server.page('<p>shop</p>'))
    await tab.page.evaluate(
      (saved) => {
        localStorage.setItem('fps:order', JSON.stringify(saved))
        sessionStorage.setItem('fps:attempts', JSON.stringify({ purchase: 'key' }))
      },
      { ref, token: `token-${ref}` }
    )
    const path = t.server.page('<fps-return></fps-return>')
    await tab.page.goto(`${path}?callerReference=${ref}`)
    await expect.poll(() => title(tab.page)).toContain('Payment complete')
    expect(await lastEvent(tab.page, 'fps-return-verified')).toMatchObject({
      callerReference: ref,
      status: 'success',
    })
    expect(new URL(tab.page.url()).search).toBe('')
    expect(await tab.page.evaluate(() => sessionStorage.getItem('fps:attempts'))).toBe('{}')
    expect(t.server.requests('/fps/return').filter((r) => r.body.includes(ref))).toEqual([])
    // another order named in the address is only looked up, never announced
    await tab.page.goto(`${path}?callerReference=ord_someone_else`)
    await expect.poll(() => title(tab.page)).toContain('Payment complete')
    expect(await lastEvent(tab.page, 'fps-return-verified')).toBeNull()
  })

  it('lets the page replace the content of an outcome through its slot', async () => {
    const { tab } = await openReturn(
      cbuiReturn('SA').query,
      '<fps-return><p slot="success">Thanks! Your song is ready.</p></fps-return>'
    )
    await expect
      .poll(() => tab.page.getByText('Thanks! Your song is ready.').isVisible())
      .toBe(true)
    expect(await tab.page.getByText('Payment complete').isVisible()).toBe(false)
  })

  it('shows nothing and calls nobody without return parameters or a stored order', async () => {
    const before = t.server.received.length
    const tab = await t.open(t.server.page('<fps-return></fps-return>'))
    await tab.page.$eval('fps-return', (el) => el.updateComplete)
    expect(await tab.page.$eval('fps-return', (el) => el.shadowRoot?.childElementCount)).toBe(0)
    expect(t.server.received.length).toBe(before)
  })
})
