import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { launchChromium } from '@fps-checkout/chromium'
import { startDemo } from '@fps-checkout/demo'
import { type Figure, median } from './measure.js'

const CLICKS = 20

/**
 * Click on `<fps-buy-button>` to the start of the navigation to the CBUI page, in Chromium, on
 * the demo shop (checkout request, order insert, signing, then `location.assign`). The click is
 * stamped in the shop page; the CBUI page's `performance.timeOrigin` is its navigation start.
 */
export async function clickBenchmark(): Promise<Figure[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fps-bench-click-'))
  const demo = await startDemo({ dataDir, log: () => {} })
  const browser = await launchChromium()
  try {
    const page = await browser.newPage()
    const times: number[] = []
    for (let i = 0; i < CLICKS; i++) {
      await page.goto(`${demo.shopUrl}/`)
      await page.evaluate(() => {
        sessionStorage.clear()
        document.addEventListener(
          'click',
          () =>
            localStorage.setItem('clickedAt', String(performance.timeOrigin + performance.now())),
          {
            capture: true,
            once: true,
          }
        )
      })
      await page.locator('fps-buy-button[item="now-and-forever"]').getByRole('button').click()
      await page.waitForURL(/\/cobranded-ui\//)
      const started = await page.evaluate(() => performance.timeOrigin)
      await page.goto(`${demo.shopUrl}/`)
      const clicked = Number(await page.evaluate(() => localStorage.getItem('clickedAt')))
      times.push(started - clicked)
    }
    return [
      {
        name: 'click_to_cbui_ms',
        value: median(times),
        unit: 'ms',
        target: { op: '<=', value: 50 },
        note: `median of ${CLICKS} clicks, Chromium, demo shop`,
      },
    ]
  } finally {
    await browser.close()
    await demo.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
