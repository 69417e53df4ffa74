import { mkdtempSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ErrorResponse, ReturnResponse } from '@fps-checkout/signer/http'
import { toNodeHandler } from '@fps-checkout/signer/node'
import { freePort, Harness } from '@fps-checkout/signer/testing'
import express from 'express'
import Fastify from 'fastify'
import { Hono } from 'hono'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createSigner, type Signer } from '../app.js'

/** The signer in Node servers other than its own: Express 5, Fastify, a Hono app that reads bodies. */

let h: Harness
beforeAll(async () => {
  h = await Harness.start()
})
afterAll(() => h?.close())

const closing: (() => Promise<unknown>)[] = []
afterEach(async () => {
  await Promise.all(closing.splice(0).map((close) => close()))
})

const json = { 'content-type': 'application/json' }

/** A signer of its own (database, log) on the harness's sandbox, whose IPNs come to `base`. */
function signerAt(base: string): { signer: Signer; logs: Record<string, unknown>[] } {
  const logs: Record<string, unknown>[] = []
  const signer = createSigner({
    ...h.signerOptions,
    databaseUrl: `file:${join(mkdtempSync(join(tmpdir(), 'fps-signer-node-')), 'signer.db')}`,
    ipnUrl: `${base}/fps/ipn`,
    log: (line) => logs.push(JSON.parse(line) as Record<string, unknown>),
  })
  closing.push(() => signer.close())
  return { signer, logs }
}

/** Serves `listener` (Express, or a `toNodeHandler`) on `port` of 127.0.0.1 until the test ends. */
async function listen(
  listener: (req: IncomingMessage, res: ServerResponse) => unknown,
  port: number
): Promise<void> {
  const server: Server = createServer(listener)
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  closing.push(() => {
    server.closeAllConnections()
    return new Promise((resolve) => server.close(resolve))
  })
  expect((server.address() as AddressInfo).port).toBe(port)
}

/** A checkout, the payment pages and the return, through the shop at `base`. */
async function purchase(base: string): Promise<ReturnResponse> {
  const checkout = await fetch(`${base}/fps/checkout`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ amount: '1.00', reason: 'Through a Node server' }),
  })
  expect(checkout.status).toBe(200)
  const { url } = (await checkout.json()) as { url: string }
  const back = await fetch(`${base}/fps/return`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ query: await h.authorize(url) }),
  })
  expect(back.status).toBe(200)
  return (await back.json()) as ReturnResponse
}

describe('Express 5 with a global express.json()', () => {
  it('runs a purchase when the signer is mounted before the parser, which still parses for the shop', async () => {
    const port = await freePort()
    const base = `http://127.0.0.1:${port}`
    const { signer } = signerAt(base)
    const shop = express()
      .use('/fps', toNodeHandler(signer.app))
      .use(express.json())
      .post('/api/echo', (req, res) => {
        res.json(req.body)
      })
    await listen(shop, port)

    expect(await purchase(base)).toMatchObject({ order: { status: 'success', amount: '1.00' } })
    const echo = await fetch(`${base}/api/echo`, {
      method: 'POST',
      headers: json,
      body: '{"parsed":true}',
    })
    expect(await echo.json()).toEqual({ parsed: true })
  })

  it('answers 500 body_already_read, saying how to mount it, when the parser came first', async () => {
    const port = await freePort()
    const base = `http://127.0.0.1:${port}`
    const { signer, logs } = signerAt(base)
    await listen(express().use(express.json()).use('/fps', toNodeHandler(signer.app)), port)

    const checkout = await fetch(`${base}/fps/checkout`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ amount: '1.00', reason: 'Parsed before the signer' }),
    })
    expect(checkout.status).toBe(500)
    const { error } = (await checkout.json()) as ErrorResponse
    expect(error.code).toBe('body_already_read')
    expect(error.message).toMatch(/mount the signer before any body parser \(express\.json\(\)/)
    expect(logs).toContainEqual(
      expect.objectContaining({ level: 'warn', code: 'body_already_read' })
    )
    // requests without a body are untouched
    expect((await fetch(`${base}/fps/healthz`)).status).toBe(200)
  })

  it('runs a purchase after the parser when the parser keeps the raw bytes as req.rawBody', async () => {
    const port = await freePort()
    const base = `http://127.0.0.1:${port}`
    const { signer } = signerAt(base)
    const keepRaw = (req: object, _res: unknown, raw: Buffer) => {
      Object.assign(req, { rawBody: raw })
    }
    const shop = express()
      .use(express.json({ verify: keepRaw }))
      .use('/fps', toNodeHandler(signer.app))
    await listen(shop, port)

    expect(await purchase(base)).toMatchObject({ order: { status: 'success' } })
  })
})

describe('a Hono app that reads bodies before the signer', () => {
  it('is not mistaken for another framework: the signer reads what Hono kept', async () => {
    const port = await freePort()
    const base = `http://127.0.0.1:${port}`
    const { signer } = signerAt(base)
    const shop = new Hono()
      .use(async function audit(c, next) {
        if (c.req.method === 'POST') await c.req.text()
        await next()
      })
      .route('/fps', signer.app)
    await listen(toNodeHandler(shop), port)

    expect(await purchase(base)).toMatchObject({ order: { status: 'success' } })
  })
})

describe('Fastify', () => {
  it('runs a purchase with the signer in a scope without body parsers, as the README shows', async () => {
    const port = await freePort()
    const base = `http://127.0.0.1:${port}`
    const { signer } = signerAt(base)
    const handler = toNodeHandler(new Hono().route('/fps', signer.app))
    const shop = Fastify()
    await shop.register(async (scope) => {
      scope.removeAllContentTypeParsers()
      scope.addContentTypeParser('*', (_request, _payload, done) => done(null))
      scope.all('/fps/*', (request, reply) => {
        reply.hijack()
        return handler(request.raw, reply.raw)
      })
    })
    shop.post('/api/echo', async (request) => request.body)
    await shop.listen({ port, host: '127.0.0.1' })
    closing.push(() => shop.close())

    expect(await purchase(base)).toMatchObject({ order: { status: 'success' } })
    const preflight = await fetch(`${base}/fps/checkout`, {
      method: 'OPTIONS',
      headers: { origin: new URL(base).origin, 'access-control-request-method': 'POST' },
    })
    expect(preflight.headers.get('access-control-allow-origin')).toBe(base)
    const echo = await fetch(`${base}/api/echo`, { method: 'POST', headers: json, body: '[1]' })
    expect(await echo.json()).toEqual([1])
  })
})
