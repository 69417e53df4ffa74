import { launchChromium } from '@fps-checkout/chromium'
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import { type WatchedPage, watchedPage } from './browser.js'
import { type Stack, type StackOptions, startStack } from './stack.js'

/** What a test file's flows share: their demo stack, the browser, and the page being watched. */
export interface Shop {
  stack: Stack
  browser: Browser
  watched: WatchedPage
  /** Opens a shop page in a fresh browser context, watched for console and page errors. */
  open(path?: string): Promise<Page>
}

/**
 * Gives a test file one demo stack (in capture mode `pay` unless told, with items added to the
 * catalog if given) and one Chromium; every flow opens its own watched page and fails if the page
 * logged an error the flow did not accept.
 */
export function useShop(options: 'pay' | 'reserve' | StackOptions = 'pay'): Shop {
  const stackOptions = typeof options === 'string' ? { capture: options } : options
  const shop = {
    async open(path = '/') {
      shop.watched = await watchedPage(shop.browser)
      await shop.watched.page.goto(`${shop.stack.shopUrl}${path}`)
      return shop.watched.page
    },
  } as Shop
  beforeAll(async () => {
    ;[shop.stack, shop.browser] = await Promise.all([startStack(stackOptions), launchChromium()])
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
