import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type {} from '../src/index.js'
import { part, useBrowser } from './browser.js'

const t = useBrowser()
const file = (path: string) => new URL(`../${path}`, import.meta.url)
const pkg = JSON.parse(readFileSync(file('package.json'), 'utf8'))
/** The widget budget in bytes, gzip -9: one byte more fails. */
const budget = 9216

/** The ESM build keeps Lit external; an import map stands in for a bundler on the test page. */
const importMap = JSON.stringify({
  imports: {
    lit: '/m/lit/index.js',
    'lit/': '/m/lit/',
    'lit-html': '/m/lit-html/lit-html.js',
    'lit-html/': '/m/lit-html/',
    'lit-element/': '/m/lit-element/',
    '@lit/reactive-element': '/m/@lit/reactive-element/reactive-element.js',
    '@lit/reactive-element/': '/m/@lit/reactive-element/',
  },
})

describe('distribution', () => {
  it('keeps the script-tag build within 9,216 bytes gzip -9 (9 KiB), Lit and both elements included', () => {
    const gzipped = execFileSync('gzip', ['-9', '-c', file('dist/fps-elements.iife.js').pathname])
    console.info(
      `dist/fps-elements.iife.js: ${gzipped.length} bytes gzip -9, ${budget - gzipped.length} to spare`
    )
    expect(gzipped.length).toBeLessThanOrEqual(budget)
  })

  it("keeps the order page's script, the widget with <fps-order>, within 10,240 bytes gzip -9", () => {
    const gzipped = execFileSync('gzip', ['-9', '-c', file('dist/fps-order.iife.js').pathname])
    console.info(`dist/fps-order.iife.js: ${gzipped.length} bytes gzip -9`)
    expect(gzipped.length).toBeLessThanOrEqual(10_240)
  })

  it('registers both tags once, even when the script is included twice', async () => {
    const tab = await t.open(
      t.server.page(
        '<fps-buy-button amount="1.00" reason="x"></fps-buy-button><fps-return></fps-return>',
        {
          head: '<script src="/dist/fps-elements.iife.js"></script>',
        }
      )
    )
    const defined = await tab.page.evaluate(() =>
      ['fps-buy-button', 'fps-return'].map((tag) => typeof customElements.get(tag))
    )
    expect(defined).toEqual(['function', 'function'])
    const host = tab.page.locator('fps-buy-button')
    await expect.poll(() => part(host, 'amount').textContent()).toBe('$1.00')
  })

  it("registers the order page's three tags once from its own script, even when included twice", async () => {
    const script = '<script src="/dist/fps-order.iife.js"></script>'
    const tab = await t.open(
      t.server.page('<fps-order></fps-order>', { script: '', head: script + script })
    )
    const defined = await tab.page.evaluate(() =>
      ['fps-buy-button', 'fps-return', 'fps-order'].map((tag) => typeof customElements.get(tag))
    )
    expect(defined).toEqual(['function', 'function', 'function'])
  })

  it('serves npm users an ESM file with Lit external and define() to register', async () => {
    expect(readFileSync(file('dist/fps-elements.js'), 'utf8')).toMatch(/from\s*["']lit["']/)
    t.server.script(
      '/esm.js',
      `import { define, FpsBuyButton } from '/dist/fps-elements.js'
define()
document.documentElement.dataset.esm = String(customElements.get('fps-buy-button') === FpsBuyButton)`
    )
    const tab = await t.open(
      t.server.page('<fps-buy-button amount="2.00" reason="x"></fps-buy-button>', {
        script: '',
        head: `<script type="importmap">${importMap}</script><script type="module" src="/esm.js"></script>`,
      })
    )
    await expect.poll(() => tab.page.locator('html').getAttribute('data-esm')).toBe('true')
    await expect
      .poll(() => part(tab.page.locator('fps-buy-button'), 'amount').textContent())
      .toBe('$2.00')
  })

  it('reports a CSP violation when there is one, so the other tests would see theirs', async () => {
    const tab = await t.open(t.server.page('<p style="color: red">inline style</p>'))
    await expect.poll(() => tab.problems.length).toBeGreaterThan(0)
    expect(tab.problems.join('\n')).toMatch(/style-src|CSP violation/)
    tab.problems.length = 0
  })

  it('points package.json at the builds, the declarations and a manifest of the three elements', () => {
    for (const target of [
      pkg.exports['.'].types,
      pkg.exports['.'].default,
      pkg.exports['./react'].types,
      pkg.exports['./fps-elements.iife.js'].types,
      pkg.exports['./fps-elements.iife.js'].default,
      pkg.exports['./fps-order.iife.js'].types,
      pkg.exports['./fps-order.iife.js'].default,
      pkg.customElements,
    ]) {
      expect(existsSync(file(target))).toBe(true)
    }
    const manifest = JSON.parse(readFileSync(file(pkg.customElements), 'utf8'))
    const elements = manifest.modules
      .flatMap((m: { declarations?: object[] }) => m.declarations ?? [])
      .filter((d: { tagName?: string }) => d.tagName)
    const names = (list?: { name: string }[]) => (list ?? []).map((x) => x.name).sort()
    const [button, ret, order] = ['fps-buy-button', 'fps-return', 'fps-order'].map((tag) =>
      elements.find((d: { tagName: string }) => d.tagName === tag)
    )
    const summary = (d: Record<string, { name: string }[]>) =>
      Object.fromEntries(
        ['attributes', 'events', 'cssParts', 'slots', 'cssProperties'].map((k) => [k, names(d[k])])
      )
    expect(summary(button)).toEqual({
      attributes: [
        'amount',
        'currency',
        'disabled',
        'every',
        'item',
        'label',
        'logo',
        'mode',
        'reason',
        'signer',
        'strings',
      ],
      events: ['fps-checkout', 'fps-error', 'fps-return-incomplete', 'fps-return-verified'],
      cssParts: ['amount', 'button', 'label', 'logo', 'message', 'spinner'],
      slots: ['label', 'logo'],
      cssProperties: ['--fps-bg', '--fps-color', '--fps-error', '--fps-radius'],
    })
    expect(summary(ret)).toEqual({
      attributes: ['signer', 'strings'],
      events: ['fps-error', 'fps-return-incomplete', 'fps-return-rejected', 'fps-return-verified'],
      cssParts: ['amount', 'box', 'details', 'retry', 'spinner', 'title', 'transaction'],
      slots: ['error', 'failure', 'loading', 'pending', 'rejected', 'success'],
      cssProperties: ['--fps-error', '--fps-success'],
    })
    expect(summary(order)).toEqual({
      attributes: ['signer', 'strings'],
      events: [
        'fps-error',
        'fps-order-cancelled',
        'fps-refund-requested',
        'fps-return-incomplete',
        'fps-return-rejected',
        'fps-return-verified',
        'fps-subscription-cancelled',
      ],
      cssParts: [
        'amount',
        'box',
        'cancel',
        'details',
        'refund',
        'request',
        'retry',
        'spinner',
        'subscription',
        'subscription-status',
        'title',
        'transaction',
        'unsubscribe',
      ],
      slots: ['error', 'failure', 'loading', 'pending', 'rejected', 'success'],
      cssProperties: ['--fps-error', '--fps-success'],
    })
  })
})
