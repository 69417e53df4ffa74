import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createOutboundVerifier, signRsaSha1 } from '@fps-checkout/protocol'
import { describe, expect, it } from 'vitest'
import { ENVIRONMENT, resolveConfig, settingsFromEnv } from './config.js'

const env = {
  FPS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  FPS_SECRET_KEY: 'a-secret-that-must-never-show',
  FPS_RETURN_URL: 'https://shop.example/return',
}

function fromEnv(extra: Record<string, string> = {}) {
  return resolveConfig(settingsFromEnv({ ...env, ...extra }), ENVIRONMENT)
}

describe('resolveConfig', () => {
  it('fills defaults for the local sandbox', () => {
    const config = fromEnv()
    expect(config.target).toBe('local')
    expect(config.capture).toBe('pay')
    expect(config.databaseUrl).toBe('file:fps-signer.db')
    expect(config.cbuiUrl).toBe(new URL('/cobranded-ui/actions/start', config.apiUrl).href)
    expect(config.certificatePrefixes).toEqual(['http://127.0.0.1:8910/certs/'])
    expect(config.keys).toEqual([{ accessKeyId: 'AKIDEXAMPLE', secretKey: env.FPS_SECRET_KEY }])
  })

  it('resolves the historic endpoints and trusts only their certificate roots', () => {
    const config = fromEnv({ FPS_TARGET: 'production' })
    expect(config.apiUrl).toBe('https://fps.amazonaws.com/')
    expect(config.cbuiUrl).toBe('https://authorize.payments.amazon.com/cobranded-ui/actions/start')
    expect(config.certificatePrefixes).toEqual(['https://fps.amazonaws.com/certs/'])
  })

  it.each([
    [{}, 'http://127.0.0.1:8910/certs/'],
    [{ FPS_TARGET: 'sandbox' }, 'https://fps.sandbox.amazonaws.com/certs/'],
    [{ FPS_TARGET: 'production' }, 'https://fps.amazonaws.com/certs/'],
    [{ FPS_API_URL: 'http://127.0.0.1:9000' }, 'http://127.0.0.1:9000/certs/'],
    [
      { FPS_TARGET: 'production', FPS_API_URL: 'https://fps.example/' },
      'https://fps.example/certs/',
    ],
  ])('with %j trusts certificates only under %s', (extra, prefix) => {
    expect(fromEnv(extra).certificatePrefixes).toEqual([prefix])
  })

  it('(b) refuses, without fetching it, a certificate URL elsewhere on the API origin', async () => {
    // The sandbox's CBUI review page shows the checkout reason, which a forger writes.
    const forger = generateKeyPairSync('rsa', { modulusLength: 1024 })
    const forgerPem = forger.publicKey.export({ type: 'spki', format: 'pem' }).toString()
    const requests: string[] = []
    const sandbox = createServer((request, response) => {
      requests.push(request.url ?? '')
      response.end(`<html><body><td>\n${forgerPem}</td></body></html>`)
    })
    await new Promise<void>((resolve) => sandbox.listen(0, '127.0.0.1', resolve))
    try {
      const apiUrl = `http://127.0.0.1:${(sandbox.address() as AddressInfo).port}/`
      const config = fromEnv({ FPS_API_URL: apiUrl })
      const verifier = createOutboundVerifier({
        allowedCertificatePrefixes: config.certificatePrefixes,
      })
      const params: Record<string, string> = {
        status: 'SC',
        tokenID: 'Q5IG5ETFCEBU8KBLTI4JHINQVL6VAJVHICBRR49AKLPIEZH1KB1S8C7VHAJJMLJ3',
        callerReference: 'order-42',
        signatureMethod: 'RSA-SHA1',
        signatureVersion: '2',
        certificateUrl: `${apiUrl}cobranded-ui/sessions/s1`,
      }
      const endpoint = config.returnUrl
      const signature = signRsaSha1({
        method: 'GET',
        endpoint,
        params,
        privateKey: forger.privateKey,
      })
      await expect(
        verifier.verify({ method: 'GET', endpoint, params: { ...params, signature } })
      ).rejects.toMatchObject({ name: 'SignatureError', code: 'certificate_not_allowed' })
      expect(requests).toEqual([])
    } finally {
      await new Promise<void>((resolve) => sandbox.close(() => resolve()))
    }
  })

  it('reads lists, overrides and the previous key pair', () => {
    const config = fromEnv({
      FPS_API_URL: 'http://127.0.0.1:9000/',
      FPS_ALLOWED_ORIGINS: 'https://shop.example, http://localhost:5173',
      FPS_LOGO_HOSTS: 'cdn.shop.example',
      FPS_PREVIOUS_ACCESS_KEY_ID: 'AKIDOLD',
      FPS_PREVIOUS_SECRET_KEY: 'old-secret',
      FPS_CAPTURE: 'reserve',
      FPS_REFUND_WINDOW_DAYS: '14',
    })
    expect(config.cbuiUrl).toBe('http://127.0.0.1:9000/cobranded-ui/actions/start')
    expect(config.allowedOrigins).toEqual(['https://shop.example', 'http://localhost:5173'])
    expect(config.logoHosts).toEqual(['cdn.shop.example'])
    expect(config.keys.map((key) => key.accessKeyId)).toEqual(['AKIDEXAMPLE', 'AKIDOLD'])
    expect(config.capture).toBe('reserve')
    expect(config.refundWindowDays).toBe(14)
    expect(fromEnv().refundWindowDays).toBeUndefined()
  })

  it('throttles returns and failed authentications by default, and reads logo URL prefixes', () => {
    const config = fromEnv({
      FPS_LOGO_HOSTS: 'cdn.shop.example, https://cdn.shop.example/brand/, [2001:db8::1]',
    })
    expect(config.returnRateLimit).toEqual({ limit: 30, windowMs: 60_000 })
    expect(config.authFailureLimit).toEqual({ limit: 10, windowMs: 60_000 })
    expect(config.logoHosts).toEqual([
      'cdn.shop.example',
      'https://cdn.shop.example/brand/',
      '[2001:db8::1]',
    ])
  })

  it.each([
    [{ FPS_SECRET_KEY: '' }, /^FPS_SECRET_KEY: is required$/],
    [{ FPS_RETURN_URL: 'shop.example/return' }, /^FPS_RETURN_URL: must be an absolute/],
    [{ FPS_TARGET: 'staging' }, /^FPS_TARGET: /],
    [
      { FPS_ALLOWED_ORIGINS: 'https://shop.example/path' },
      /^FPS_ALLOWED_ORIGINS: must list origins/,
    ],
    [{ FPS_CAPTURE: 'later' }, /^FPS_CAPTURE: /],
    [{ FPS_ADMIN_TOKEN: 'short' }, /^FPS_ADMIN_TOKEN: must be at least 16/],
    [{ FPS_REFUND_WINDOW_DAYS: 'two' }, /^FPS_REFUND_WINDOW_DAYS: must be a whole number of days$/],
    [{ FPS_REFUND_WINDOW_DAYS: '0' }, /^FPS_REFUND_WINDOW_DAYS: must be at least 1 day$/],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL: must be a file: URL/],
    [{ FPS_PREVIOUS_ACCESS_KEY_ID: 'AKIDOLD' }, /^FPS_PREVIOUS_SECRET_KEY: comes as a pair/],
    [{ FPS_CATALOG: '/nonexistent/catalog.json' }, /^FPS_CATALOG: cannot read/],
    [{ FPS_LOGO_HOSTS: 'cdn.shop.example:8443' }, /^FPS_LOGO_HOSTS: must list host names/],
    [{ FPS_LOGO_HOSTS: '0x7f.1' }, /^FPS_LOGO_HOSTS: must list host names/],
    [{ FPS_LOGO_HOSTS: 'https://cdn.shop.example/brand' }, /^FPS_LOGO_HOSTS: must list host names/],
    [{ FPS_LOGO_HOSTS: 'http://cdn.shop.example/' }, /^FPS_LOGO_HOSTS: must list host names/],
    [{ FPS_LOGO_HOSTS: 'https://cdn.shop.example/?v=1' }, /^FPS_LOGO_HOSTS: must list host names/],
  ])('stops on %j with one line naming the setting', (extra, message) => {
    let thrown: Error | undefined
    try {
      fromEnv(extra)
    } catch (error) {
      thrown = error as Error
    }
    expect(thrown?.message).toMatch(message)
    expect(thrown?.message).not.toContain('\n')
    expect(thrown?.message).not.toContain(env.FPS_SECRET_KEY)
  })

  it('loads a catalog file and names the faulty item', () => {
    const dir = mkdtempSync(join(tmpdir(), 'signer-config-'))
    const good = join(dir, 'good.json')
    const bad = join(dir, 'bad.json')
    writeFileSync(good, JSON.stringify({ items: { song: { price: '0.90' } } }))
    writeFileSync(bad, JSON.stringify({ items: { song: { price: 'free' } } }))
    expect(fromEnv({ FPS_CATALOG: good }).catalog?.items.song).toEqual({
      price: '0.90',
      currencyCode: 'USD',
    })
    expect(() => fromEnv({ FPS_CATALOG: bad })).toThrow(
      /^FPS_CATALOG: items\.song\.price|^FPS_CATALOG: items\.song/
    )
  })

  it('names options by their own names when given as code', () => {
    expect(() => resolveConfig({ accessKeyId: 'a', secretKey: 's', returnUrl: 'nope' })).toThrow(
      /^returnUrl: must be an absolute/
    )
    expect(() => resolveConfig({ accessKeyId: 'a', secretKey: 's' } as never)).toThrow(
      /^returnUrl: is required$/
    )
    // the problem's wording is zod's; the setting it names is ours
    expect(() =>
      resolveConfig({ accessKeyId: 'a', secretKey: 's', returnUrl: 7 } as never)
    ).toThrow(expect.objectContaining({ code: 'invalid_config', setting: 'returnUrl' }))
  })
})

describe('settingsFromEnv', () => {
  it('loads .env without overriding variables already set', () => {
    const dir = mkdtempSync(join(tmpdir(), 'signer-env-'))
    const file = join(dir, '.env')
    writeFileSync(file, 'FPS_TEST_ONLY_VARIABLE=from-file\nFPS_TARGET=production\n')
    process.env.FPS_TARGET = 'sandbox'
    try {
      settingsFromEnv(process.env, file)
      expect(process.env.FPS_TEST_ONLY_VARIABLE).toBe('from-file')
      expect(process.env.FPS_TARGET).toBe('sandbox')
    } finally {
      delete process.env.FPS_TARGET
      delete process.env.FPS_TEST_ONLY_VARIABLE
    }
  })
})
