import { launchChromium } from '@fps-checkout/chromium'
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import { type WatchedPage, watchedPage } from './browser.js'
import { type Stack, startStack } from './stack.js'

/** What a test file's flows share: their demo stack, the browser, and the page being watched. */
export interface Shop {
  stack: Stack
  browser: Browser
  watched: WatchedPage
  /** Opens a shop page in a fresh browser context, watched for console and page errors. */
  open(path?: string): Promise<Page>
}

/**
 * Gives a test file one demo stack and one Chromium; every flow opens its own watched page and
 * fails if the page logged an error the flow did not accept.
 */
export function useShop(capture: 'pay' | 'reserve' = 'pay'): Shop {
  const shop = {
    async open(path = '/') {
      shop.watched = await watchedPage(shop.browser)
      await shop.watched.page.goto(`${shop.stack.shopUrl}${path}`)
      return shop.watched.page
    },
  } as Shop
  beforeAll(async () => {
    ;[shop.stack, shop.browser] = await Promise.all([startStack(capture), launchChromium()])
  })
  afterAll(async () => {
    await shop.browser?.close()
    await shop.stack?.stop()
  })
  afterEach(async () => {
    await shop.watched.context.close()
    expect(shop.watched.problems).toEqual([])
  })
  return shop
}
