import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type {} from '../src/index.js'
import { lastEvent, part, screenshot, useBrowser } from './browser.js'

const t = useBrowser()

let orders = 0

/** An order at the fake signer in `status`, and the query CBUI would append for its return. */
function seeded(status: string, returnStatus = 'SA') {
  orders += 1
  const ref = `ord_act_${orders}`
  t.server.seed({
    callerReference: ref,
    amount: '0.90',
    currencyCode: 'USD',
    reason: 'Now and Forever - Richard Marx',
    status,
  })
  const query =
    `status=${returnStatus}&tokenID=T${orders}&callerReference=${ref}&expiry=10%2F2031` +
    `&signatureMethod=RSA-SHA1&signatureVersion=2` +
    `&certificateUrl=https%3A%2F%2Ffps.example%2Fcert.pem&signature=good`
  return { ref, query }
}

/** The order page, on the script that carries `<fps-order>`, as CBUI's redirect opens it. */
function orderPage(query: string) {
  return `${t.server.page('<fps-order></fps-order>', { script: '/dist/fps-order.iife.js' })}?${query}`
}

const host = (page: Page) => page.locator('fps-order')
const title = (page: Page) => part(host(page), 'title').textContent()

describe('<fps-order>', () => {
  it('cancels a reservation not settled yet, tells the page, and shows it cancelled', async () => {
    const { ref, query } = seeded('reserved')
    const tab = await t.open(orderPage(query))
    await expect.poll(() => title(tab.page)).toContain('Payment complete')
    const cancel = part(host(tab.page), 'cancel')
    expect(await cancel.textContent()).toContain('Cancel order')
    expect(await part(host(tab.page), 'refund').count()).toBe(0)
    await screenshot(tab.page, 'order-reserved')
    await cancel.click()
    await expect.poll(() => title(tab.page)).toContain('Payment cancelled')
    const [post] = t.server.requests(`/fps/orders/${ref}/cancel`)
    expect(post?.method).toBe('POST')
    expect(post?.headers.authorization).toBe(`Bearer token-${ref}`)
    expect(await lastEvent(tab.page, 'fps-order-cancelled')).toMatchObject({
      callerReference: ref,
      status: 'cancelled',
      composed: true,
    })
    expect(await part(host(tab.page), 'cancel').count()).toBe(0)
  })

  it('cancels a checkout the buyer came back from without paying, with the token the button kept', async () => {
    const tab = await t.open(
      t.server.page('<fps-buy-button amount="1.00" reason="x"></fps-buy-button>')
    )
    await tab.page.locator('fps-buy-button button').click()
    await tab.page.waitForURL('**/cbui?**')
    const ref = new URL(tab.page.url()).searchParams.get('callerReference') ?? ''
    const saved = await tab.page.evaluate(() => localStorage.getItem('fps:order'))
    expect(JSON.parse(saved ?? '')).toEqual({ ref, token: `token-${ref}` })
    const query =
      `status=A&callerReference=${ref}&signatureMethod=RSA-SHA1&signatureVersion=2` +
      `&certificateUrl=https%3A%2F%2Ffps.example%2Fcert.pem&signature=good`
    await tab.page.goto(orderPage(query))
    await expect.poll(() => title(tab.page)).toContain('Payment cancelled')
    const cancel = part(host(tab.page), 'cancel')
    await expect.poll(() => cancel.count()).toBe(1)
    expect(t.server.orders.get(ref)?.status).toBe('created')
    await cancel.click()
    await expect
      .poll(() => lastEvent(tab.page, 'fps-order-cancelled'))
      .toMatchObject({
        callerReference: ref,
        status: 'cancelled',
      })
    expect(t.server.orders.get(ref)?.status).toBe('cancelled')
    await expect.poll(() => cancel.count()).toBe(0)
  })

  it('asks for a refund of a paid order once, and shows it asked for', async () => {
    const { ref, query } = seeded('created')
    const tab = await t.open(orderPage(query))
    await expect.poll(() => title(tab.page)).toContain('Payment complete')
    const refund = part(host(tab.page), 'refund')
    expect(await refund.textContent()).toContain('Request a refund')
    await refund.click()
    await expect
      .poll(() => part(host(tab.page), 'request').textContent())
      .toContain('Refund requested')
    expect(await lastEvent(tab.page, 'fps-refund-requested')).toMatchObject({
      id: `rfr_${ref}`,
      status: 'open',
      amount: '0.90',
    })
    expect(t.server.requests(`/fps/orders/${ref}/refund-requests`)).toHaveLength(1)
    expect(await refund.count()).toBe(0)
    await screenshot(tab.page, 'order-refund-requested')
    await tab.page.reload()
    await expect
      .poll(() => part(host(tab.page), 'request').textContent())
      .toContain('Refund requested')
    expect(await refund.count()).toBe(0)
  })

  it('shows a refusal as an error, which a retry clears', async () => {
    const { ref, query } = seeded('created')
    const tab = await t.open(orderPage(query))
    await expect.poll(() => title(tab.page)).toContain('Payment complete')
    // asked for from another tab meanwhile
    const order = t.server.orders.get(ref)!
    order.refundRequest = { id: 'rfr_other', status: 'declined', amount: '0.90', note: 'Used.' }
    await part(host(tab.page), 'refund').click()
    await expect.poll(() => title(tab.page)).toContain('fake signer: refund_already_requested')
    expect(await lastEvent(tab.page, 'fps-error')).toMatchObject({
      code: 'refund_already_requested',
      status: 409,
    })
    await part(host(tab.page), 'retry').click()
    await expect.poll(() => title(tab.page)).toContain('Payment complete')
    expect(await part(host(tab.page), 'request').textContent()).toMatch(/Refund declined\s+Used\./)
    expect(await part(host(tab.page), 'refund').count()).toBe(0)
  })

  it('offers nothing for a payment in progress, nor in the 9 KiB <fps-return>', async () => {
    const pending = seeded('created', 'SB')
    const tab = await t.open(orderPage(pending.query))
    await expect.poll(() => title(tab.page)).toContain('Payment pending')
    expect(await host(tab.page).locator('button').count()).toBe(0)
    const reserved = seeded('reserved')
    await t.open(`${t.server.page('<fps-return></fps-return>')}?${reserved.query}`)
    const widget = tab.page.locator('fps-return')
    await expect.poll(() => part(widget, 'title').textContent()).toContain('Payment complete')
    expect(await widget.locator('button').count()).toBe(0)
  })
})
