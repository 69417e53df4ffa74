import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, Page } from 'playwright-core'

const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'screenshots')
/** The README's pictures, refreshed by `pnpm screenshots` (which sets UPDATE_SCREENSHOTS) only. */
const README_SHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))

/** A page whose console errors and uncaught exceptions are collected: every flow must end with none. */
export interface WatchedPage {
  page: Page
  context: BrowserContext
  problems: string[]
}

/** Opens a fresh context (its own storage) and page, watching for errors. */
export async function watchedPage(browser: Browser): Promise<WatchedPage> {
  const context = await browser.newContext()
  const problems: string[] = []
  return { page: await watch(context, problems), context, problems }
}

/**
 * Opens another page in the watched page's browser (the same storage and cookies), as the buyer's
 * next visit; its problems count with the first page's.
 */
export function nextVisit(watched: WatchedPage): Promise<Page> {
  return watch(watched.context, watched.problems)
}

/** Opens a page in the context and collects its console errors, uncaught exceptions and HTTP errors. */
async function watch(context: BrowserContext, problems: string[]): Promise<Page> {
  const page = await context.newPage()
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()} (${page.url()})`)
  })
  page.on('pageerror', (error) => problems.push(`page error: ${error.message} (${page.url()})`))
  page.on('response', (response) => {
    if (response.status() < 400) return
    const problem = `HTTP ${response.status()}: ${response.url()}`
    const index = problems.push(problem) - 1
    // the signer's stable code, when the body is its JSON error, says which refusal it was; a
    // problem accepted (removed) meanwhile stays removed
    response.json().then(
      (body: { error?: { code?: unknown } }) => {
        const code = body?.error?.code
        if (typeof code === 'string' && problems[index] === problem) {
          problems[index] = `HTTP ${response.status()} ${code}: ${response.url()}`
        }
      },
      () => undefined
    )
  })
  return page
}

/**
 * Saves a full-page screenshot under e2e/screenshots (gitignored). A shot the README shows names
 * its file there (`readme`), and `pnpm screenshots` writes it to docs/screenshots too.
 */
export async function screenshot(page: Page, name: string, readme?: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  const image = await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true })
  if (readme && process.env.UPDATE_SCREENSHOTS)
    writeFileSync(join(README_SHOTS, `${readme}.png`), image)
}

/**
 * Accepts the browser's log lines for a refusal the flow expects (the signer's 4xx answer), and
 * nothing else: there must be at least one, and each must name that status.
 */
export function acceptRefusals(watched: WatchedPage, status: number): void {
  const expected = watched.problems.filter((problem) => problem.includes(String(status)))
  if (expected.length === 0 || expected.length !== watched.problems.length) {
    throw new Error(
      `Expected only HTTP ${status} refusals, got: ${watched.problems.join('; ') || 'none'}`
    )
  }
  watched.problems.length = 0
}
