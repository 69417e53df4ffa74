import { request as httpRequest } from 'node:http'
import { connect } from 'node:net'
import { Harness, RETURN_URL } from '@fps-checkout/signer/testing'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSigner, type Signer } from '../app.js'

/** The signer's HTTP edge: who counts as its own origin, unknown paths, throttles, cut bodies. */

let h: Harness
const ADMIN = 'Bearer admin-token-for-tests-0123456789'
const json = { 'content-type': 'application/json' }
const song = JSON.stringify({ amount: '0.90', reason: 'Edge' })

beforeAll(async () => {
  h = await Harness.start()
})
afterAll(() => h?.close())

interface RawAnswer {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
}

/** A request over node:http, which, unlike fetch, may send any Host header. */
function raw(
  base: string,
  path: string,
  {
    method = 'GET',
    headers = {},
    body,
  }: { method?: string; headers?: Record<string, string>; body?: string } = {}
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { method, headers }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        text += chunk
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** An error answer names no stack frame, source path, module or secret. */
function expectSafe(text: string, secret = h.key.secretKey): void {
  expect(text).not.toMatch(/ {4}at |\\n|node_modules|\/src\/|\.ts\b/)
  expect(text).not.toContain(secret)
  expect(text).not.toContain('admin-token-for-tests')
}

function errorOf(answer: RawAnswer): { code: string; message: string } {
  expect(answer.headers['content-type']).toMatch(/^application\/json/)
  expectSafe(answer.text)
  return (JSON.parse(answer.text) as { error: { code: string; message: string } }).error
}

describe('the IPN endpoint', () => {
  it('is never taken from a Host the settings do not name, when FPS_IPN_URL is unset', async () => {
    const bare = createSigner({ ...h.signerOptions, ipnUrl: undefined })
    const server = serve({ fetch: bare.app.fetch, port: 0, hostname: '127.0.0.1' })
    await new Promise((resolve) => server.once('listening', resolve))
    try {
      const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
      const body = h.signOutbound('POST', 'http://evil.example/ipn', {
        notificationType: 'TransactionStatus',
        transactionId: 'T-ANY',
        transactionStatus: 'SUCCESS',
      })
      const answer = await raw(base, '/ipn', {
        method: 'POST',
        headers: { host: 'evil.example', 'content-type': 'application/x-www-form-urlencoded' },
        body,
      })
      expect(answer.status).toBe(403)
      expect(errorOf(answer).code).toBe('signature_invalid')
    } finally {
      server.close()
      await bare.close()
    }
  })
})

describe("the signer's own origin", () => {
  it('is never taken from the Host header: an Origin that matches only a forged Host is refused', async () => {
    const forged = { host: 'evil.example', origin: 'http://evil.example' }
    const checkout = await raw(h.signerUrl, '/checkout', {
      method: 'POST',
      headers: { ...forged, ...json },
      body: song,
    })
    expect(checkout.status).toBe(403)
    expect(errorOf(checkout).code).toBe('origin_not_allowed')
    expect(checkout.headers['access-control-allow-origin']).toBeUndefined()
    const preflight = await raw(h.signerUrl, '/checkout', {
      method: 'OPTIONS',
      headers: { ...forged, 'access-control-request-method': 'POST' },
    })
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined()

    // unless the merchant lists that origin
    await h.restartSigner({ allowedOrigins: ['http://evil.example'] })
    try {
      const listed = await raw(h.signerUrl, '/checkout', {
        method: 'POST',
        headers: { ...forged, ...json },
        body: song,
      })
      expect(listed.status).toBe(200)
      expect(listed.headers['access-control-allow-origin']).toBe('http://evil.example')
    } finally {
      await h.restartSigner({ allowedOrigins: [] })
    }
  })

  it('is known from the settings: the IPN URL’s origin and the return page’s, whatever the Host', async () => {
    for (const origin of [new URL(h.signerUrl).origin, new URL(RETURN_URL).origin]) {
      const answer = await raw(h.signerUrl, '/checkout', {
        method: 'POST',
        headers: { host: 'evil.example', origin, ...json },
        body: song,
      })
      expect(answer.status, origin).toBe(200)
      expect(answer.headers['access-control-allow-origin']).toBe(origin)
    }
  })
})

describe('an unknown path or method', () => {
  const unknown: [string, string][] = [
    ['GET', '/nowhere'],
    ['GET', '/checkout'],
    ['PUT', '/return'],
    ['POST', '/healthz'],
    ['DELETE', '/orders/ord_x'],
    ['GET', '/ipn'],
  ]

  it('answers a JSON not_found when the signer is served on its own', async () => {
    for (const [method, path] of unknown) {
      const answer = await raw(h.signerUrl, path, { method })
      expect(answer.status, `${method} ${path}`).toBe(404)
      expect(errorOf(answer).code).toBe('not_found')
    }
  })

  it('answers a JSON not_found under a shop that mounts the signer, and leaves the shop’s own 404s alone', async () => {
    const signer: Signer = createSigner({ ...h.signerOptions, databaseUrl: 'file::memory:' })
    await signer.ready
    const shop = new Hono().get('/', (c) => c.text('shop')).route('/fps', signer.app)
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: shop.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
    })
    const address = server.address()
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
    try {
      for (const [method, path] of [...unknown, ['GET', '']] as [string, string][]) {
        const answer = await raw(base, `/fps${path}`, { method })
        expect(answer.status, `${method} /fps${path}`).toBe(404)
        expect(errorOf(answer).code).toBe('not_found')
      }
      const healthz = await raw(base, '/fps/healthz')
      expect(JSON.parse(healthz.text)).toEqual({ ok: true })
      const shops = await raw(base, '/elsewhere')
      expect(shops.status).toBe(404)
      expect(shops.text).toBe('404 Not Found')
    } finally {
      await new Promise<void>((done) => {
        server.close(() => done())
        if ('closeAllConnections' in server) server.closeAllConnections()
      })
      await signer.close()
    }
  })
})

describe('the throttles', () => {
  let t: Harness
  const as = (client: string, headers: Record<string, string> = {}) => ({
    'x-test-client': client,
    ...headers,
  })

  beforeAll(async () => {
    t = await Harness.start({
      signer: {
        returnRateLimit: { limit: 3, windowMs: 60_000 },
        authFailureLimit: { limit: 3, windowMs: 60_000 },
        clientKey: (c) => c.req.header('x-test-client') ?? 'anyone',
      },
    })
  })
  afterAll(() => t?.close())

  it('limit returns per client, with a 429 that says so and when to retry', async () => {
    const post = (client: string) =>
      raw(t.signerUrl, '/return', { method: 'POST', headers: as(client, json), body: '{}' })
    const statuses = []
    for (let i = 0; i < 4; i++) statuses.push((await post('buyer')).status)
    expect(statuses).toEqual([400, 400, 400, 429])
    const limited = await post('buyer')
    expect(limited.status).toBe(429)
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
    const error = errorOf(limited)
    expect(error.code).toBe('rate_limited')
    expect(error.message).toMatch(/^Too many returns; try again in \d+ s\.$/)
    expect((await post('another-buyer')).status).toBe(400)
  })

  it('slow an admin-token guesser to a few failures a window, and not the admin', async () => {
    const admin = (client: string, authorization: string, path = '/admin/orders') =>
      raw(t.signerUrl, path, { headers: as(client, { authorization }) })
    for (let i = 0; i < 5; i++) expect((await admin('merchant', ADMIN)).status).toBe(200)

    const guesses = []
    for (let i = 0; i < 3; i++) guesses.push((await admin('guesser', `Bearer guess-${i}`)).status)
    expect(guesses).toEqual([401, 401, 401])
    const slowed = await admin('guesser', 'Bearer guess-3')
    expect(slowed.status).toBe(429)
    expect(Number(slowed.headers['retry-after'])).toBeGreaterThan(0)
    const error = errorOf(slowed)
    expect(error.code).toBe('rate_limited')
    expect(error.message).toMatch(/^Too many failed authentications; try again in \d+ s\.$/)
    // the right token, guessed now, would tell the guesser nothing
    expect((await admin('guesser', ADMIN)).status).toBe(429)
    expect((await admin('guesser', ADMIN, '/orders/ord_x')).status).toBe(429)

    expect((await admin('merchant', ADMIN)).status).toBe(200)
  })

  it('count failed order look-ups too, since they test the admin token as well', async () => {
    const lookUp = (authorization: string) =>
      raw(t.signerUrl, '/orders/ord_x', { headers: as('snooper', { authorization }) })
    const statuses = []
    for (let i = 0; i < 4; i++) statuses.push((await lookUp(`Bearer guess-${i}`)).status)
    expect(statuses).toEqual([401, 401, 401, 429])
  })
})

describe('a request body', () => {
  // half a body, ending inside a two-byte character
  const half = Buffer.concat([Buffer.from('{"query":"status=SA&reason=caf'), Buffer.from([0xc3])])
  it.each([
    ['a Content-Length', 'Content-Length: 200', half],
    ['chunks', 'Transfer-Encoding: chunked', Buffer.concat([Buffer.from('40\r\n'), half])],
  ])(
    'cut off by a client that hangs up (framed by %s) is logged as incomplete, not as bad UTF-8',
    async (_, framing, sent) => {
      const port = Number(new URL(h.signerUrl).port)
      const head = [
        'POST /return HTTP/1.1',
        'Host: 127.0.0.1',
        'Content-Type: application/json',
        framing,
        '',
        '',
      ].join('\r\n')
      const before = h.logs.length
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.write(head)
          socket.end(sent)
        })
        let text = ''
        socket.setEncoding('utf8')
        socket.on('data', (chunk: string) => {
          text += chunk
        })
        socket.on('close', () => resolve(text))
        socket.on('error', reject)
      })
      const deadline = Date.now() + 5_000
      const lines = () =>
        h.logs.slice(before).map((line) => JSON.parse(line) as Record<string, unknown>)
      while (!lines().some((line) => line.msg === 'request') && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      const logged = lines()
      expect(logged).toContainEqual(
        expect.objectContaining({
          level: 'info',
          code: 'invalid_request',
          message: 'The request body was not received completely.',
        })
      )
      expect(logged).toContainEqual(
        expect.objectContaining({ msg: 'request', path: '/return', status: 400 })
      )
      expect(JSON.stringify(logged)).not.toMatch(/UTF-8/)
      expect(logged.filter((line) => line.level !== 'info')).toEqual([])
      // Node's HTTP server answers a cut-off request itself, when the client still listens
      if (answer !== '') expect(answer).toMatch(/^HTTP\/1\.1 400 /)
      expectSafe(answer)
    }
  )

  it('that arrives whole but is not UTF-8 still says so', async () => {
    const body = Buffer.concat([
      Buffer.from('{"query":"caf'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}'),
    ])
    const answer = await new Promise<RawAnswer>((resolve, reject) => {
      const req = httpRequest(
        `${h.signerUrl}/return`,
        { method: 'POST', headers: { ...json, 'content-length': String(body.length) } },
        (res) => {
          let text = ''
          res.on('data', (chunk) => {
            text += chunk
          })
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }))
        }
      )
      req.on('error', reject)
      req.end(body)
    })
    expect(answer.status).toBe(400)
    expect(errorOf(answer)).toEqual({
      code: 'invalid_request',
      message: 'The body is not valid UTF-8.',
    })
  })
})
