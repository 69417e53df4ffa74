import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, singleUse, startSandbox } from '../test/harness.js'

let sandbox: Harness
beforeAll(async () => {
  sandbox = await startSandbox()
  // Added before the first request, while the router still takes routes.
  sandbox.sandbox.app.get('/account/:id/broken', () => {
    throw new Error('the page failed')
  })
})
afterAll(() => sandbox.close())

/** The Content-Security-Policy, directive by directive. */
function policyOf(response: Response): Map<string, string[]> {
  const header = response.headers.get('content-security-policy') ?? ''
  return new Map(
    header
      .split(';')
      .map((directive) => directive.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name = '', ...sources]) => [name, sources])
  )
}

/**
 * Checks what every sandbox page must send: a policy that runs no script, loads only the page's
 * own style (by its hash) and images, cannot be framed, and lets forms post only to `formTargets`.
 */
async function expectLockedDown(response: Response, formTargets = ["'self'"]): Promise<string> {
  const page = await response.text()
  expect(response.headers.get('content-type')).toMatch(/^text\/html/)
  expect(response.headers.get('x-frame-options')).toBe('DENY')
  expect(response.headers.get('x-content-type-options')).toBe('nosniff')
  expect(response.headers.get('referrer-policy')).toBe('no-referrer')
  const policy = policyOf(response)
  expect(policy.get('default-src')).toEqual(["'none'"])
  expect(policy.get('frame-ancestors')).toEqual(["'none'"])
  expect(policy.get('base-uri')).toEqual(["'none'"])
  expect(policy.get('img-src')).toEqual(['https:', 'http:', 'data:'])
  expect(policy.get('form-action')).toEqual(formTargets)
  expect(policy.has('script-src')).toBe(false)
  const styles = [...page.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((match) => match[1] ?? '')
  expect(styles).toHaveLength(1)
  for (const style of styles) {
    const hash = createHash('sha256').update(style, 'utf8').digest('base64')
    expect(policy.get('style-src')).toEqual([`'sha256-${hash}'`])
  }
  expect(page).not.toMatch(/<script|\sstyle=/i)
  return page
}

const post = (pageUrl: string, fields: Record<string, string>) =>
  fetch(pageUrl, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' })

describe('security headers', () => {
  it('lock down every CBUI step, letting its forms reach only the sandbox and the returnURL origin', async () => {
    const start = await fetch(
      sandbox.cbuiUrl(
        singleUse('1.00', {
          returnURL: 'https://shop.example:8443/return?order=7',
          cobrandingUrl: 'https://cdn.shop.example/logo.png',
        })
      ),
      { redirect: 'manual' }
    )
    expect(start.status).toBe(303)
    const pageUrl = new URL(start.headers.get('location') ?? '', sandbox.url).toString()
    const formTargets = ["'self'", 'https://shop.example:8443']
    expect(await expectLockedDown(await fetch(pageUrl), formTargets)).toContain(
      'https://cdn.shop.example/logo.png'
    )
    const refused = await post(pageUrl, {
      step: 'signin',
      intent: 'continue',
      email: 'alice@buyer.example',
      password: 'wrong',
    })
    expect(refused.status).toBe(422)
    await expectLockedDown(refused, formTargets)
    const signIn = { step: 'signin', intent: 'continue', email: 'alice@buyer.example' }
    expect((await post(pageUrl, { ...signIn, password: 'sandbox' })).status).toBe(303)
    expect(await expectLockedDown(await fetch(pageUrl), formTargets)).toContain('Payment method')
    await post(pageUrl, { step: 'method', intent: 'continue', method: 'ABT' })
    expect(await expectLockedDown(await fetch(pageUrl), formTargets)).toContain(
      'Review and confirm'
    )
  })

  it('lock down the error pages: no returnURL, an unsigned request, an ended session', async () => {
    const noReturn = await fetch(`${sandbox.url}/cobranded-ui/actions/start?pipelineName=SingleUse`)
    expect(noReturn.status).toBe(400)
    await expectLockedDown(noReturn)
    const unsigned = new URL(sandbox.cbuiUrl(singleUse('1.00')))
    unsigned.searchParams.delete('signature')
    const refused = await fetch(unsigned, { redirect: 'manual' })
    expect(refused.status).toBe(403)
    await expectLockedDown(refused)
    const ended = await fetch(`${sandbox.url}/cobranded-ui/sessions/no-such-session`)
    expect(ended.status).toBe(404)
    await expectLockedDown(ended)
  })

  it('lock down the account pages and the page of an internal error', async () => {
    await expectLockedDown(await fetch(`${sandbox.url}/account`))
    await expectLockedDown(await fetch(`${sandbox.url}/account/buyer-alice`))
    const missing = await fetch(`${sandbox.url}/account/nobody`)
    expect(missing.status).toBe(404)
    await expectLockedDown(missing)
    const broken = await fetch(`${sandbox.url}/account/buyer-alice/broken`)
    expect(broken.status).toBe(500)
    await expectLockedDown(broken)
  })

  it('never lets the FPS API or anything else be sniffed or framed', async () => {
    for (const path of ['/', '/nowhere', '/_sandbox/queues']) {
      const response = await fetch(`${sandbox.url}${path}`)
      expect(response.headers.get('x-content-type-options')).toBe('nosniff')
      expect(response.headers.get('x-frame-options')).toBe('DENY')
      expect(policyOf(response).get('default-src')).toEqual(["'none'"])
    }
  })

  it('refuses a returnURL whose host cannot be named in a policy', async () => {
    const url = new URL(sandbox.cbuiUrl(singleUse('1.00')))
    url.searchParams.set('returnURL', 'https://shop.example,default-src/return')
    const response = await fetch(url, { redirect: 'manual' })
    expect(response.status).toBe(400)
    expect(await response.text()).toContain('no usable returnURL')
  })
})
