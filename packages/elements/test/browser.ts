/**
 * One Chromium per test file, a fresh context (so fresh storage) per page, and a check
 * after every test that no page logged an error or hit the Content-Security-Policy.
 */
import { mkdirSync } from 'node:fs'
import { launchChromium } from '@fps-checkout/chromium'
import type { Browser, BrowserContextOptions, Locator, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import { startServer, type TestServer } from './server.js'

/** `pnpm screenshots` refreshes the README's screenshots; a test run writes no tracked file. */
const shots = new URL(
  process.env.UPDATE_SCREENSHOTS ? '../../../docs/screenshots/' : '../screenshots/',
  import.meta.url
)

/** Network failures the tests provoke on purpose are logged as errors too; they are not problems. */
const expected = /Failed to load resource|net::ERR_/

export interface Tab {
  page: Page
  /** Console errors, uncaught exceptions and CSP violations, in order. */
  problems: string[]
}

/**
 * Chromium and the test server for one test file. Tests share one page (a new renderer costs
 * most of a test's time); each `open` first clears the origin's session and local storage. Pages that need
 * other context options (no JavaScript) get a context of their own.
 */
export function useBrowser() {
  const ctx = {} as { browser: Browser; server: TestServer; shared: Tab; extra: Tab[] }
  ctx.extra = []

  beforeAll(async () => {
    ;[ctx.browser, ctx.server] = await Promise.all([
      // Playwright turns the back/forward cache off; a buyer pressing Back has it on
      launchChromium({ ignoreDefaultArgs: ['--disable-back-forward-cache'] }),
      startServer(),
    ])
    ctx.shared = await tab(ctx.browser)
  })

  afterEach(async () => {
    const extra = ctx.extra.splice(0)
    await Promise.all(extra.map((t) => t.page.context().close()))
    const popups = ctx.shared.page
      .context()
      .pages()
      .filter((p) => p !== ctx.shared.page)
    await Promise.all(popups.map((p) => p.close()))
    for (const t of [ctx.shared, ...extra]) {
      const problems = t.problems.splice(0)
      expect(problems).toEqual([])
    }
  })

  afterAll(async () => {
    await ctx.browser?.close()
    await ctx.server?.close()
  })

  /** Opens a URL with clean storage and starts watching it for problems. */
  async function open(url: string, options?: BrowserContextOptions): Promise<Tab> {
    if (options) {
      const own = await tab(ctx.browser, options)
      ctx.extra.push(own)
      await own.page.goto(url)
      return own
    }
    const { page } = ctx.shared
    await page.goto(`${ctx.server.origin}/cbui`)
    await page.evaluate(() => {
      sessionStorage.clear()
      localStorage.clear()
    })
    await page.goto(url)
    return ctx.shared
  }

  return {
    get server() {
      return ctx.server
    },
    open,
  }
}

async function tab(browser: Browser, options: BrowserContextOptions = {}): Promise<Tab> {
  const context = await browser.newContext({
    viewport: { width: 480, height: 360 },
    deviceScaleFactor: 2,
    ...options,
  })
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`)
    )
    // the elements' events, as the page saw them: <html data-fps-error='{"code":…}'>
    for (const type of [
      'fps-checkout',
      'fps-error',
      'fps-return-verified',
      'fps-return-rejected',
      'fps-return-incomplete',
      'fps-order-cancelled',
      'fps-refund-requested',
      'fps-subscription-cancelled',
    ]) {
      document.addEventListener(type, (e) => {
        const { detail } = e as Event & { detail: object }
        document.documentElement.setAttribute(
          `data-${type}`,
          JSON.stringify({ ...detail, composed: e.composed })
        )
      })
    }
  })
  const problems: string[] = []
  context.on('page', (page) => watch(problems, page))
  return { page: await context.newPage(), problems }
}

/** Collects a page's console errors and uncaught exceptions (CSP violations are logged). */
function watch(problems: string[], page: Page): void {
  page.on('console', (m) => {
    if (m.type() === 'error' && !expected.test(m.text())) problems.push(m.text())
  })
  page.on('pageerror', (e) => problems.push(e.message))
}

/**
 * Writes a screenshot of the fixture's content, for the README under `pnpm screenshots`
 * (docs/screenshots/NAME.png), else to the ignored packages/elements/screenshots/.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(shots, { recursive: true })
  await page
    .locator('#demo')
    .screenshot({ path: new URL(`${name}.png`, shots).pathname, animations: 'disabled' })
}

/** The detail of the last event of a type the page saw (with its `composed` flag), if any. */
export async function lastEvent(page: Page, type: string): Promise<Record<string, unknown> | null> {
  const json = await page.locator('html').getAttribute(`data-${type}`)
  return json ? JSON.parse(json) : null
}

/** A part inside an element's shadow root (Playwright's CSS locators pierce open shadow roots). */
export const part = (host: Locator, name: string): Locator => host.locator(`[part~="${name}"]`)
