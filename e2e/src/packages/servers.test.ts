import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import {
  CALLER,
  installedBin,
  type Served,
  serveInstalledSandbox,
  serveProcess,
  signerSettings,
} from './processes.js'

const consumerDir = inject('consumerDir')

let sandbox: Served
const running: Served[] = []
beforeAll(async () => {
  sandbox = await serveInstalledSandbox(consumerDir)
})
afterAll(async () => {
  await Promise.all([sandbox, ...running].map((served) => served?.stop()))
})

/** A signer's settings against the installed sandbox, each signer with its own database. */
function settings(): Record<string, string> {
  return signerSettings(sandbox.url, join(consumerDir, `orders-${running.length}.db`))
}

/** A checkout against a started signer answers a signed CBUI URL on the sandbox. */
async function expectSignedCheckout(checkoutUrl: string): Promise<void> {
  const response = await fetch(checkoutUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ amount: '0.90', reason: 'Now and Forever' }),
  })
  const body = (await response.json()) as { url?: string }
  expect(response.status, JSON.stringify(body)).toBe(200)
  const url = new URL(body.url ?? '')
  expect(url.origin).toBe(sandbox.url)
  expect(url.searchParams.get('callerKey')).toBe(CALLER.accessKeyId)
  expect(url.searchParams.get('signature')).toMatch(/^[A-Za-z0-9+/]+=*$/)
  expect(url.searchParams.get('transactionAmount')).toBe('0.90')
}

async function start(args: string[], env: Record<string, string> = {}, cwd = consumerDir) {
  const served = await serveProcess(args, { cwd, env })
  running.push(served)
  return served
}

describe('the CLIs from the tarballs, on plain Node', () => {
  it('fps-sandbox serves the FPS API', async () => {
    const response = await fetch(`${sandbox.url}/?Action=GetAccountBalance`)
    expect(response.headers.get('content-type')).toContain('xml')
  })

  it('fps-signer serves, configured from the environment', async () => {
    const signer = await start([installedBin(consumerDir, 'fps-signer')], {
      ...settings(),
      PORT: '0',
    })
    await expectSignedCheckout(`${signer.url}/checkout`)
  })

  it('fps-signer serves, configured from .env (PORT and HOST included)', async () => {
    const lines = Object.entries({ ...settings(), PORT: '0', HOST: '127.0.0.1' })
    writeFileSync(
      join(consumerDir, '.env'),
      lines.map(([key, value]) => `${key}=${value}\n`).join('')
    )
    const signer = await start([installedBin(consumerDir, 'fps-signer')])
    expect(signer.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    await expectSignedCheckout(`${signer.url}/checkout`)
  })
})

describe('the signer mounted in a server of the shop', () => {
  it('mounts in Hono from a plain .mjs file', async () => {
    writeFileSync(
      join(consumerDir, 'hono-shop.mjs'),
      `import { serve } from '@hono/node-server'
import { createApp } from '@fps-checkout/signer'
import { Hono } from 'hono'

const shop = new Hono().get('/', (c) => c.text('shop')).route('/fps', createApp())
const server = serve({ fetch: shop.fetch, port: 0, hostname: '127.0.0.1' }, ({ port }) =>
  console.log(\`shop at http://127.0.0.1:\${port}\`)
)
process.once('SIGTERM', () => server.close())
`
    )
    const shop = await start(['hono-shop.mjs'], settings())
    await expectSignedCheckout(`${shop.url}/fps/checkout`)
  })

  it('mounts in Express 5 beside a global express.json(), through toNodeHandler', async () => {
    writeFileSync(
      join(consumerDir, 'express-shop.mjs'),
      `import { createApp } from '@fps-checkout/signer'
import { toNodeHandler } from '@fps-checkout/signer/node'
import express from 'express'

const shop = express()
shop.use('/fps', toNodeHandler(createApp()))
shop.use(express.json())
shop.post('/echo', (req, res) => res.json(req.body))
const server = shop.listen(0, '127.0.0.1', () =>
  console.log(\`shop at http://127.0.0.1:\${server.address().port}\`)
)
process.once('SIGTERM', () => server.close())
`
    )
    const shop = await start(['express-shop.mjs'], settings())
    await expectSignedCheckout(`${shop.url}/fps/checkout`)
    const echo = await fetch(`${shop.url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"still":"parsed"}',
    })
    expect(await echo.json()).toEqual({ still: 'parsed' })
  })
})
