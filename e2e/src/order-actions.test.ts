import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { launchChromium } from '@fps-checkout/chromium'
import type { RefundRequestView } from '@fps-checkout/signer/http'
import { ADMIN_TOKEN, Harness } from '@fps-checkout/signer/testing'
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type WatchedPage, watchedPage } from './browser.js'
import { payWith, signIn } from './cbui.js'
import { callerReferenceOf } from './stack.js'

/** The order page's script, as built (`pnpm build`): the three elements, `<fps-order>` among them. */
const script = readFileSync(
  new URL('../../packages/elements/dist/fps-order.iife.js', import.meta.url),
  'utf8'
)

/**
 * A shop of two pages on an origin of its own, the signer (with the real sandbox) on another:
 * `/buy` with the button, `/return` (the signer's return URL) with `<fps-order>`.
 */
async function startShop(signerUrl: () => string) {
  const page = (body: string) =>
    `<!doctype html><html lang="en-US"><head><meta charset="utf-8"><title>shop</title>
<link rel="icon" href="data:,"><script src="/fps-order.iife.js" defer></script></head><body>${body}</body></html>`
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    if (path === '/fps-order.iife.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(script)
    } else if (path === '/buy' || path === '/return') {
      const body =
        path === '/buy'
          ? `<fps-buy-button amount="2.00" reason="Now and Forever" signer="${signerUrl()}"></fps-buy-button>`
          : `<fps-order signer="${signerUrl()}"></fps-order>`
      res.writeHead(200, { 'content-type': 'text/html' }).end(page(body))
    } else {
      res.writeHead(404).end()
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

let browser: Browser
let watched: WatchedPage

beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(() => browser?.close())
afterEach(async () => {
  await watched?.context.close()
  expect(watched?.problems ?? []).toEqual([])
})

/** One shop and its signer in a capture mode, for a describe block. */
function useSignerShop(capture: 'pay' | 'reserve') {
  const ctx = {} as { harness: Harness; shop: Awaited<ReturnType<typeof startShop>> }
  beforeAll(async () => {
    ctx.shop = await startShop(() => ctx.harness.signerUrl)
    ctx.harness = await Harness.start({
      signer: {
        capture,
        returnUrl: `${ctx.shop.origin}/return`,
        allowedOrigins: [ctx.shop.origin],
      },
    })
  })
  afterAll(async () => {
    await ctx.harness?.close()
    await ctx.shop?.close()
  })
  return ctx
}

/** Buys on the shop's page and pays on the payment pages; answers the page and the order. */
async function buy(shopOrigin: string): Promise<{ page: Page; reference: string }> {
  watched = await watchedPage(browser)
  const { page } = watched
  await page.goto(`${shopOrigin}/buy`)
  await page.locator('fps-buy-button').getByRole('button').click()
  await page.waitForURL(/\/cobranded-ui\//)
  await signIn(page, 'alice@buyer.example')
  const reference = callerReferenceOf(await payWith(page, 'ABT'))
  return { page, reference }
}

const order = (page: Page) => page.locator('fps-order')

describe('<fps-order> with the real signer, in reserve mode', () => {
  const ctx = useSignerShop('reserve')

  it('the buyer cancels the reservation, and FPS releases it', async () => {
    const { page, reference } = await buy(ctx.shop.origin)
    await order(page).getByText('Payment complete').waitFor()
    await order(page).getByRole('button', { name: 'Cancel order' }).click()
    await order(page).getByText('Payment cancelled').waitFor()
    expect(ctx.harness.transactions(reference)).toEqual([
      expect.objectContaining({ operation: 'Reserve', status: 'Cancelled' }),
    ])
    const { json } = await ctx.harness.orderAsAdmin(reference)
    expect(json.order?.status).toBe('cancelled')
  })
})

describe('<fps-order> with the real signer, in pay mode', () => {
  const ctx = useSignerShop('pay')

  it('the buyer asks for a refund, the merchant approves, and the order shows refunded', async () => {
    const { page, reference } = await buy(ctx.shop.origin)
    await order(page).getByText('Payment complete').waitFor()
    await order(page).getByRole('button', { name: 'Request a refund' }).click()
    await order(page).getByText('Refund requested').waitFor()
    const open = await ctx.harness.request('/admin/refund-requests?status=open', {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    })
    const { refundRequests } = (await open.json()) as { refundRequests: RefundRequestView[] }
    const request = refundRequests.find((r) => r.callerReference === reference)
    expect(request).toMatchObject({ amount: '2.00', status: 'open' })
    const approved = await ctx.harness.admin(`/refund-requests/${request?.id}/approve`, {})
    expect(approved.json.order).toMatchObject({ status: 'refunded', refundedAmount: '2.00' })
    await page.reload()
    await order(page).getByText('Payment refunded').waitFor()
    expect(await order(page).getByRole('button').count()).toBe(0)
  })

  it('the buyer cancels a checkout they came back from without paying', async () => {
    watched = await watchedPage(browser)
    const { page } = watched
    await page.goto(`${ctx.shop.origin}/buy`)
    await page.locator('fps-buy-button').getByRole('button').click()
    await page.waitForURL(/\/cobranded-ui\//)
    await signIn(page, 'alice@buyer.example')
    await page.getByRole('button', { name: 'Cancel' }).click()
    await page.waitForURL(/\/return/)
    await order(page).getByText('Payment cancelled').waitFor()
    const reference = await page.evaluate(
      () => JSON.parse(localStorage.getItem('fps:order') ?? '{}').ref as string
    )
    await expect
      .poll(async () => (await ctx.harness.orderAsAdmin(reference)).json.order?.status)
      .toBe('created')
    await order(page).getByRole('button', { name: 'Cancel order' }).click()
    await expect
      .poll(async () => (await ctx.harness.orderAsAdmin(reference)).json.order?.status)
      .toBe('cancelled')
    await expect.poll(() => order(page).getByRole('button').count()).toBe(0)
    expect(ctx.harness.transactions(reference)).toEqual([])
  })
})
