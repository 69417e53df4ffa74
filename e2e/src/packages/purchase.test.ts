import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { join } from 'node:path'
import { launchChromium } from '@fps-checkout/chromium'
import { freePort } from '@fps-checkout/signer/testing'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import { watchedPage } from '../browser.js'
import { payWith, signIn } from '../cbui.js'
import {
  installedBin,
  type Served,
  serveInstalledSandbox,
  serveProcess,
  signerSettings,
} from './processes.js'

const consumerDir = inject('consumerDir')

let sandbox: Served
let signer: Served
let shop: Server
let shopUrl = ''
let browser: Browser

/** A page of the shop: the installed IIFE by script tag, under a strict CSP that names the signer. */
function page(body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<script src="/fps-elements.iife.js" defer></script></head><body>${body}</body></html>`
}

/** The shop's static site on its own origin; the signer is on another. */
function startShop(signerUrl: string, port: number): Promise<Server> {
  const script = readFileSync(
    join(consumerDir, 'node_modules/@fps-checkout/elements/dist/fps-elements.iife.js')
  )
  const files: Record<string, [string, string | Buffer]> = {
    '/': [
      'text/html',
      page(
        `<fps-buy-button amount="0.90" reason="Now and Forever - Richard Marx" signer="${signerUrl}"></fps-buy-button>`
      ),
    ],
    '/return': ['text/html', page(`<fps-return signer="${signerUrl}"></fps-return>`)],
    '/fps-elements.iife.js': ['text/javascript', script],
  }
  const csp =
    `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; ` +
    `connect-src 'self' ${signerUrl}; form-action 'self' ${signerUrl}; base-uri 'none'; ` +
    `require-trusted-types-for 'script'; trusted-types lit-html`
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://shop').pathname
    if (path === '/favicon.ico') return void response.writeHead(204).end()
    const file = files[path]
    if (!file) return void response.writeHead(404).end()
    response
      .writeHead(200, { 'content-type': file[0], 'content-security-policy': csp })
      .end(file[1])
  })
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)))
}

beforeAll(async () => {
  sandbox = await serveInstalledSandbox(consumerDir)
  // the shop's origin goes into the signer's settings before either serves
  const shopPort = await freePort()
  shopUrl = `http://127.0.0.1:${shopPort}`
  signer = await serveProcess([installedBin(consumerDir, 'fps-signer')], {
    cwd: consumerDir,
    env: {
      ...signerSettings(sandbox.url, join(consumerDir, 'purchase.db')),
      PORT: '0',
      FPS_RETURN_URL: `${shopUrl}/return`,
      FPS_ALLOWED_ORIGINS: shopUrl,
    },
  })
  shop = await startShop(signer.url, shopPort)
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  shop?.close()
  await Promise.all([signer?.stop(), sandbox?.stop()])
})

it('buys through the installed packages alone: script tag on one origin, signer on another', async () => {
  const watched = await watchedPage(browser)
  const { page } = watched
  await page.goto(`${shopUrl}/`)
  await page.locator('fps-buy-button').getByRole('button').click()
  await page.waitForURL(/\/cobranded-ui\//)
  await signIn(page, 'alice@buyer.example')
  const returnUrl = await payWith(page, 'ABT')
  expect(new URL(returnUrl).origin).toBe(shopUrl)
  await page.getByText('Payment complete').waitFor()
  expect(watched.problems).toEqual([])
})
