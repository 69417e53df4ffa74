import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type {} from '../src/index.js'
import { lastEvent, part, screenshot, useBrowser } from './browser.js'
import type { FakeOrder, FakeSubscription } from './server.js'

const t = useBrowser()

let orders = 0

/** An order at the fake signer in `status`, and the query CBUI would append for its return. */
function seeded(status: string, returnStatus = 'SA', fields: Partial<FakeOrder> = {}) {
  orders += 1
  const ref = `ord_act_${orders}`
  t.server.seed({
    callerReference: ref,
    amount: '0.90',
    currencyCode: 'USD',
    reason: 'Now and Forever - Richard Marx',
    status,
    ...fields,
  })
  const query =
    `status=${returnStatus}&tokenID=T${orders}&callerReference=${ref}&expiry=10%2F2031` +
    `&signatureMethod=RSA-SHA1&signatureVersion=2` +
    `&certificateUrl=https%3A%2F%2Ffps.example%2Fcert.pem&signature=good`
  return { ref, query }
}

/** The order page, on the script that carries `<fps-order>`, as CBUI's redirect opens it. */
function orderPage(query: string, lang = 'en-US') {
  const page = t.server.page('<fps-order></fps-order>', { script: '/dist/fps-order.iife.js', lang })
  return `${page}?${query}`
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

/** A plan's order whose subscription stands as given, and its return's query. */
function subscribed(subscription: Partial<FakeSubscription>, status = 'success') {
  return seeded(status, 'SA', {
    amount: '4.99',
    reason: 'Unlimited streaming',
    item: 'streaming-monthly',
    subscription: {
      plan: 'streaming-monthly',
      every: '1 Month',
      amount: '4.99',
      currencyCode: 'USD',
      status: 'active',
      chargedPeriods: 1,
      nextChargeAt: '2027-03-03T12:00:00.000Z',
      createdAt: '2027-02-01T12:00:00.000Z',
      updatedAt: '2027-02-01T12:00:00.000Z',
      ...subscription,
    },
  })
}

/** The subscription part's text as one line. */
const subscriptionText = (page: Page) =>
  part(host(page), 'subscription').evaluate((el) => el.textContent?.replace(/\s+/g, ' ').trim())

describe('<fps-order> with a subscription', () => {
  it('shows an active subscription: price per period, next payment, periods paid; cancels it', async () => {
    const { ref, query } = subscribed({})
    const tab = await t.open(orderPage(query))
    await expect.poll(() => title(tab.page)).toContain('Payment complete')
    // the return's answer has no subscription: the order is looked up with its token
    await expect
      .poll(() => subscriptionText(tab.page))
      .toBe('Subscription active $4.99/month Next payment on March 3, 2027. Periods paid: 1')
    const status = part(host(tab.page), 'subscription-status')
    expect(await status.getAttribute('class')).toBe('success')
    const unsubscribe = part(host(tab.page), 'unsubscribe')
    expect(await unsubscribe.textContent()).toContain('Cancel subscription')
    await screenshot(tab.page, 'order-subscription-active')
    await unsubscribe.click()
    await expect
      .poll(() => subscriptionText(tab.page))
      .toBe('Subscription cancelled $4.99/month Periods paid: 1')
    const posts = t.server.requests(`/fps/orders/${ref}/cancel`)
    expect(posts).toHaveLength(1)
    expect(posts[0]?.method).toBe('POST')
    expect(posts[0]?.headers.authorization).toBe(`Bearer token-${ref}`)
    expect(await lastEvent(tab.page, 'fps-subscription-cancelled')).toMatchObject({
      callerReference: ref,
      status: 'success',
      subscription: { plan: 'streaming-monthly', status: 'cancelled', chargedPeriods: 1 },
      composed: true,
    })
    expect(await lastEvent(tab.page, 'fps-order-cancelled')).toBeNull()
    // the order stays paid; only the subscription ended
    expect(await title(tab.page)).toContain('Payment complete')
    expect(await unsubscribe.count()).toBe(0)
    await tab.page.reload()
    await expect
      .poll(() => subscriptionText(tab.page))
      .toBe('Subscription cancelled $4.99/month Periods paid: 1')
    expect(await unsubscribe.count()).toBe(0)
  })

  it("shows a past-due subscription's retry date in the page's language, and lets it be cancelled", async () => {
    const { ref, query } = subscribed({
      status: 'past_due',
      chargedPeriods: 2,
      nextChargeAt: '2027-04-06T12:00:00.000Z',
    })
    const tab = await t.open(orderPage(query, 'de-DE'))
    await expect
      .poll(() => subscriptionText(tab.page))
      .toBe(
        'Subscription past due 4,99 $/Monat Your last payment failed; it is tried again on 6. April 2027. Periods paid: 2'
      )
    expect(await part(host(tab.page), 'subscription-status').getAttribute('class')).toBe('failure')
    await part(host(tab.page), 'unsubscribe').click()
    await expect
      .poll(() => lastEvent(tab.page, 'fps-subscription-cancelled'))
      .toMatchObject({ callerReference: ref, subscription: { status: 'cancelled' } })
    await expect.poll(() => subscriptionText(tab.page)).toMatch(/^Subscription cancelled/)
  })

  it("shows a free trial's sign-up: authorized, nothing paid, the first payment's date; cancels it", async () => {
    const { ref, query } = subscribed(
      { status: 'trialing', chargedPeriods: 0, trialEndsAt: '2027-03-03T12:00:00.000Z' },
      'authorized'
    )
    const tab = await t.open(orderPage(query))
    await expect.poll(() => title(tab.page)).toContain('Free trial started')
    expect(
      await host(tab.page).evaluate((el) => (el as HTMLElement).matches(':state(success)'))
    ).toBe(true)
    await expect
      .poll(() => subscriptionText(tab.page))
      .toBe('Free trial $4.99/month Next payment on March 3, 2027. Periods paid: 0')
    expect(await part(host(tab.page), 'subscription-status').getAttribute('class')).toBe('success')
    // nothing was paid: no refund to ask for, only the subscription to cancel
    expect(await part(host(tab.page), 'refund').count()).toBe(0)
    await part(host(tab.page), 'unsubscribe').click()
    await expect
      .poll(() => lastEvent(tab.page, 'fps-subscription-cancelled'))
      .toMatchObject({
        callerReference: ref,
        status: 'authorized',
        subscription: { status: 'cancelled' },
      })
    await expect
      .poll(() => subscriptionText(tab.page))
      .toBe('Subscription cancelled $4.99/month Periods paid: 0')
  })

  it('offers nothing for a cancelled or ended subscription', async () => {
    for (const status of ['cancelled', 'ended']) {
      const { query } = subscribed({ status, chargedPeriods: 3, nextChargeAt: undefined })
      const tab = await t.open(orderPage(query))
      await expect
        .poll(() => subscriptionText(tab.page))
        .toBe(`Subscription ${status} $4.99/month Periods paid: 3`)
      expect(await part(host(tab.page), 'unsubscribe').count()).toBe(0)
    }
  })

  it('shows a failed cancel as an error with an event, never a spinner, and a retry shows it again', async () => {
    const { ref, query } = subscribed({})
    const tab = await t.open(orderPage(query))
    const unsubscribe = part(host(tab.page), 'unsubscribe')
    await expect.poll(() => unsubscribe.count()).toBe(1)
    const release = t.server.hold(`orders/${ref}/cancel`)
    t.server.reply(`orders/${ref}/cancel`, 502, {
      error: { code: 'upstream_error', message: 'FPS could not be reached.' },
    })
    await unsubscribe.click()
    await expect.poll(() => unsubscribe.isDisabled()).toBe(true)
    expect(await part(host(tab.page), 'spinner').count()).toBe(0)
    release()
    await expect.poll(() => title(tab.page)).toContain('FPS could not be reached.')
    expect(await lastEvent(tab.page, 'fps-error')).toMatchObject({
      code: 'upstream_error',
      status: 502,
      composed: true,
    })
    expect(await lastEvent(tab.page, 'fps-subscription-cancelled')).toBeNull()
    expect(await part(host(tab.page), 'spinner').count()).toBe(0)
    expect(await unsubscribe.isDisabled()).toBe(false)
    expect(t.server.orders.get(ref)?.subscription?.status).toBe('active')
    await part(host(tab.page), 'retry').click()
    await expect.poll(() => title(tab.page)).toContain('Payment complete')
    expect(await subscriptionText(tab.page)).toMatch(/^Subscription active/)
  })

  it('subscribes from the button, and the return page shows the subscription it started', async () => {
    const tab = await t.open(
      t.server.page(
        '<fps-buy-button item="streaming-monthly" amount="4.99" every="1 Month" reason="Unlimited streaming"></fps-buy-button>'
      )
    )
    await tab.page.locator('fps-buy-button button').click()
    await tab.page.waitForURL('**/cbui?**')
    const ref = new URL(tab.page.url()).searchParams.get('callerReference') ?? ''
    const query =
      `status=SC&tokenID=TR1&callerReference=${ref}&signatureMethod=RSA-SHA1&signatureVersion=2` +
      `&certificateUrl=https%3A%2F%2Ffps.example%2Fcert.pem&signature=good`
    await tab.page.goto(orderPage(query))
    await expect
      .poll(() => subscriptionText(tab.page))
      .toMatch(/^Subscription active \$4\.99\/month Next payment on .+\. Periods paid: 1$/)
    expect(await lastEvent(tab.page, 'fps-return-verified')).toMatchObject({
      callerReference: ref,
      status: 'success',
    })
    expect(await part(host(tab.page), 'unsubscribe').count()).toBe(1)
  })
})
