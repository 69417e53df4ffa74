import type { OrderView } from '@fps-checkout/signer/http'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { nextVisit, screenshot } from './browser.js'
import { chooseMethod, returnUrlAfter, signIn, startCheckout } from './cbui.js'
import { useShop } from './shop-fixture.js'
import { callerReferenceOf } from './stack.js'

const DAY_MS = 86_400_000
/** A plan's month: 30 days, as FPS's sandbox counts a Recurring token's periods. */
const MONTH_MS = 30 * DAY_MS

// a test's plan beside the demo's: the sandbox declines N.61 once per token, then lets it through
const shop = useShop({ catalog: { 'streaming-retry': { price: '4.61', every: '1 Month' } } })

/**
 * Every Pay in the sandbox's ledger for the subscription, in the order they were made: the
 * sign-up order's (period 1) and each later try's, `<ref>-<period>-<try>`.
 */
function pays(reference: string) {
  return [...shop.stack.sandbox.sandbox.state.transactions.values()]
    .filter(
      (t) =>
        t.operation === 'Pay' &&
        (t.callerReference === reference || t.callerReference.startsWith(`${reference}-`))
    )
    .map(({ callerReference, amount, status }) => ({ callerReference, amount, status }))
}

/** The sign-up order's subscription, as the signer has it. */
async function subscriptionOf(reference: string) {
  const { subscription } = (await shop.stack.order(reference)) as OrderView
  if (!subscription) throw new Error(`${reference} started no subscription`)
  return subscription
}

/** A date as `<fps-order>` writes it on an English page. */
function longDate(iso: string | undefined): string {
  return new Intl.DateTimeFormat('en', { dateStyle: 'long' }).format(new Date(iso ?? NaN))
}

/**
 * Subscribes with the plan's button and the Amazon Payments balance, the payment pages asking for
 * the price every month; answers the sign-up order.
 */
async function subscribe(page: Page, plan: string, price: string): Promise<string> {
  await startCheckout(page, plan)
  await signIn(page, 'alice@buyer.example')
  await chooseMethod(page, 'ABT')
  await page.getByText(`asks you to authorize $${price} every 1 Month.`).waitFor()
  const confirm = () => page.getByRole('button', { name: 'Continue' }).click()
  return callerReferenceOf(await returnUrlAfter(page, confirm))
}

/** The streaming line beside `<fps-order>`, or on the Streaming page. */
function streaming(page: Page, text: string | RegExp) {
  return page.locator('#download, #streaming').getByText(text)
}

describe('unlimited streaming', () => {
  it('charges period 1 at the return and then each period once: three periods later the ledger holds exactly 4 Pays (periods 1 to 4); cancelled on the order page, a period later still 4, and streaming ends with the period paid for', async () => {
    const page = await shop.open()
    await expect(
      page.locator('fps-buy-button[item="streaming-monthly"]').getByRole('button').textContent()
    ).resolves.toMatch(/^\s*Subscribe\s*·\s*\$4\.99\/month\s*$/)
    const reference = await subscribe(page, 'streaming-monthly', '4.99')
    await page.getByText('Payment complete').waitFor()
    await page.getByText('Subscription active').waitFor()
    await page.getByText('Periods paid: 1').waitFor()
    const first = await subscriptionOf(reference)
    await page.getByText(`Next payment on ${longDate(first.nextChargeAt)}.`).waitFor()
    await streaming(page, /^Streaming is on, paid through /).waitFor()
    await screenshot(page, 'subscription-order')
    expect(pays(reference)).toEqual([
      { callerReference: reference, amount: 499, status: 'Success' },
    ])

    // not due yet: the sweep charges nothing
    await expect(shop.stack.signer.sweep()).resolves.toMatchObject({ charged: 0, failed: 0 })
    for (const period of [2, 3, 4]) {
      shop.stack.travel(MONTH_MS)
      // two sweeps at once (beside the demo's own, every minute): the period is charged once
      await Promise.all([shop.stack.signer.sweep(), shop.stack.signer.sweep()])
      await expect.poll(() => pays(reference).length).toBe(period)
    }
    await expect(shop.stack.signer.sweep()).resolves.toMatchObject({ charged: 0, failed: 0 })
    expect(pays(reference)).toEqual([
      { callerReference: reference, amount: 499, status: 'Success' },
      { callerReference: `${reference}-2-1`, amount: 499, status: 'Success' },
      { callerReference: `${reference}-3-1`, amount: 499, status: 'Success' },
      { callerReference: `${reference}-4-1`, amount: 499, status: 'Success' },
    ])
    const fourth = await subscriptionOf(reference)
    expect(fourth).toMatchObject({ status: 'active', chargedPeriods: 4 })

    // the buyer comes back to the order page, sees the fifth period's date, and cancels
    await page.reload()
    await page.getByText('Periods paid: 4').waitFor()
    await page.getByText(`Next payment on ${longDate(fourth.nextChargeAt)}.`).waitFor()
    await page.getByRole('button', { name: 'Cancel subscription' }).click()
    await page.getByText('Subscription cancelled').waitFor()
    await expect(subscriptionOf(reference)).resolves.toMatchObject({ status: 'cancelled' })
    const token = [...shop.stack.sandbox.sandbox.state.tokens.values()].find(
      (t) => t.callerReference === reference
    )
    expect(token).toMatchObject({ pipeline: 'Recurring', status: 'Inactive' })

    // the fourth period stays paid for: the Streaming page streams to its end, and cancels no more
    await expect.poll(() => shop.stack.streaming.get(reference)?.status).toBe('cancelled')
    const later = await nextVisit(shop.watched)
    await later.goto(`${shop.stack.shopUrl}/streaming`)
    await later.getByText('Subscription cancelled').waitFor()
    const until = new Date(fourth.nextChargeAt ?? NaN).toLocaleString('en-US')
    await streaming(later, `Streaming is on, paid through ${until}.`).waitFor()
    await screenshot(later, 'streaming-cancelled')
    await expect(later.getByRole('button', { name: 'Cancel subscription' }).count()).resolves.toBe(
      0
    )

    shop.stack.travel(MONTH_MS)
    await expect(shop.stack.signer.sweep()).resolves.toMatchObject({ charged: 0, failed: 0 })
    expect(pays(reference)).toHaveLength(4)
    await later.reload()
    await streaming(later, `Your streaming ended on ${until}.`).waitFor()
  })

  it('retries a temporary decline a day later: the sign-up Pay is declined, the retry goes through, and streaming starts then', async () => {
    const page = await shop.open()
    const reference = await subscribe(page, 'streaming-retry', '4.61')
    await page.getByText('Subscription past due').waitFor()
    const due = await subscriptionOf(reference)
    expect(due).toMatchObject({ status: 'past_due', chargedPeriods: 0 })
    await page
      .getByText(`Your last payment failed; it is tried again on ${longDate(due.nextChargeAt)}.`)
      .waitFor()
    await streaming(page, 'Streaming starts once your payment is through.').waitFor()
    expect(pays(reference)).toEqual([
      { callerReference: reference, amount: 461, status: 'Failure' },
    ])

    shop.stack.travel(DAY_MS)
    await Promise.all([shop.stack.signer.sweep(), shop.stack.signer.sweep()])
    await expect.poll(() => pays(reference).length).toBe(2)
    await expect(shop.stack.signer.sweep()).resolves.toMatchObject({ charged: 0, failed: 0 })
    expect(pays(reference)).toEqual([
      { callerReference: reference, amount: 461, status: 'Failure' },
      { callerReference: `${reference}-1-2`, amount: 461, status: 'Success' },
    ])
    await expect(subscriptionOf(reference)).resolves.toMatchObject({
      status: 'active',
      chargedPeriods: 1,
    })
    await page.reload()
    await page.getByText('Subscription active').waitFor()
    await page.getByText('Periods paid: 1').waitFor()
    await streaming(page, /^Streaming is on, paid through /).waitFor()
  })
})
