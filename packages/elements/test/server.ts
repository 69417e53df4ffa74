/**
 * The test server: fixture pages under a strict CSP, the built files, and a fake signer that
 * answers per docs/http-api.md (the one stand-in: the real signer is tested in its own package).
 */
import { createHash } from 'node:crypto'
import { realpathSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const dist = fileURLToPath(new URL('../dist/', import.meta.url))
/** Where Lit and its packages sit, for the ESM build's import map. */
const modules = join(
  realpathSync(fileURLToPath(new URL('../node_modules/lit', import.meta.url))),
  '..'
)

/** No 'unsafe-inline', no eval, Trusted Types enforced: only Lit's own policy may make HTML. */
export const csp = (extraScript = '', extraConnect = '') =>
  `default-src 'none'; script-src 'self'${extraScript}; style-src 'self'; img-src 'self' data:; ` +
  `connect-src 'self'${extraConnect}; form-action 'self'; base-uri 'none'; ` +
  `require-trusted-types-for 'script'; trusted-types lit-html`

/** A request the fake signer received. */
export interface Received {
  method: string
  path: string
  headers: IncomingHttpHeaders
  body: string
}

/** What the fake signer answers instead of its default, once. */
export interface Reply {
  status: number
  body: unknown
}

/** The subscription a plan's order started, as `GET /orders/:ref` shows it. */
export interface FakeSubscription {
  plan: string
  every: string
  amount: string
  currencyCode: string
  status: string
  chargedPeriods: number
  /** Undefined or left out once nothing more is charged (JSON drops it either way). */
  nextChargeAt?: string | undefined
  trialEndsAt?: string
  createdAt: string
  updatedAt: string
}

/** An order the fake signer knows. */
export interface FakeOrder {
  callerReference: string
  status: string
  amount: string
  currencyCode: string
  reason: string
  item?: string
  transactionId?: string
  refundedAmount?: string
  refundRequest?: { id: string; status: string; amount: string; note?: string }
  subscription?: FakeSubscription
}

export interface PageOptions {
  lang?: string
  head?: string
  script?: string
  /** Another origin the page's CSP lets it connect to, as for a signer there. */
  connect?: string
  /** Sends `Cross-Origin-Opener-Policy: same-origin`, which cuts a popup off from its opener. */
  isolated?: boolean
}

/** CBUI status codes that authorize, as the signer maps them (a card or balance pays at once). */
const outcomes: Record<string, string> = { SA: 'success', SC: 'success', SB: 'pending' }

/** Returns that authorize nothing: the signer answers only what the buyer did (docs/http-api.md). */
const unpaid: Record<string, { outcome: string; message: string }> = {
  A: { outcome: 'abandoned', message: 'The buyer cancelled on the payment pages.' },
  SE: { outcome: 'system-error', message: 'FPS had a system error; the buyer may try again.' },
}

/** The fake catalog's plans, by item: a paid return of their order starts a subscription. */
export const plans: Record<string, string> = { 'streaming-monthly': '1 Month' }

/** A month, as the signer counts a `1 Month` period. */
const month = 30 * 86_400_000

const types: Record<string, string> = { '.js': 'text/javascript', '.json': 'application/json' }

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = ''
    req.on('data', (chunk) => {
      body += chunk
    })
    req.on('end', () => resolve(body))
  })
}

const json = (status: number, body: unknown) => ({
  status,
  type: 'application/json',
  body: JSON.stringify(body),
})
const problem = (status: number, code: string) =>
  json(status, { error: { code, message: `fake signer: ${code}` } })

/** A signer route, as `reply` and `hold` name it: `checkout`, `return`, `orders/ord_1/cancel`. */
export type Route = 'checkout' | 'return' | `orders/${string}`

export async function startServer() {
  const received: Received[] = []
  const replies = new Map<string, Reply[]>()
  const holds = new Map<string, Promise<void>>()
  const orders = new Map<string, FakeOrder>()
  const byKey = new Map<string, unknown>()
  const pages: { body: string; options: PageOptions }[] = []
  const files = new Map<string, string>()
  let origin = ''

  function createOrder(fields: Record<string, string>) {
    const callerReference = `ord_${orders.size + 1}`
    orders.set(callerReference, {
      callerReference,
      status: 'created',
      amount: fields.amount ?? '',
      currencyCode: fields.currencyCode ?? 'USD',
      reason: fields.reason ?? '',
      ...(fields.item ? { item: fields.item } : {}),
    })
    return {
      url: `${origin}/cbui?callerReference=${callerReference}`,
      callerReference,
      expiresAt: new Date(Date.now() + 900_000).toISOString(),
      accessToken: `token-${callerReference}`,
    }
  }

  function renderPage(id: number) {
    const page = pages[id]
    if (!page) return { status: 404, type: 'text/plain', body: 'no page' }
    const {
      lang = 'en-US',
      head = '',
      script = '/dist/fps-elements.iife.js',
      connect = '',
      isolated = false,
    } = page.options
    const tag = script ? `<script src="${script}"></script>` : ''
    const hashes = [...head.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map(
      ([, code]) =>
        ` 'sha256-${createHash('sha256')
          .update(code ?? '')
          .digest('base64')}'`
    )
    return {
      status: 200,
      type: 'text/html',
      csp: csp(hashes.join(''), connect && ` ${connect}`),
      isolated,
      body: `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>fixture</title>${head}<link rel="stylesheet" href="/page.css">${tag}</head><body><main id="demo">${page.body}</main></body></html>`,
    }
  }

  async function signer(route: string, req: IncomingMessage, body: string) {
    const reply = replies.get(route)?.shift()
    const hold = holds.get(route)
    if (hold) {
      holds.delete(route)
      await hold
    }
    if (reply) return json(reply.status, reply.body)
    if (route === 'checkout') {
      if (req.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
        const { url } = createOrder(Object.fromEntries(new URLSearchParams(body)))
        return { status: 303, location: url, type: 'text/plain', body: '' }
      }
      const request = JSON.parse(body)
      if (typeof request.amount !== 'string') return problem(400, 'invalid_request')
      const key = req.headers['idempotency-key'] as string | undefined
      const known = key && byKey.get(key)
      if (known) return json(200, known)
      const answer = createOrder(request)
      if (key) byKey.set(key, answer)
      return json(200, answer)
    }
    if (route === 'return') {
      const query = new URLSearchParams(JSON.parse(body).query)
      if (query.get('signature') !== 'good') return problem(403, 'signature_invalid')
      const order = orders.get(query.get('callerReference') ?? '')
      if (!order) return problem(404, 'order_not_found')
      const status = query.get('status') ?? ''
      const returned = unpaid[status]
      if (returned) return json(200, { returned: { status, ...returned } })
      if (order.status === 'created') order.status = outcomes[status] ?? 'failure'
      if (order.status === 'success') order.transactionId = `TX-${order.callerReference}`
      const every = order.item && plans[order.item]
      if (order.status === 'success' && every && !order.subscription) {
        const now = new Date()
        order.subscription = {
          plan: order.item!,
          every,
          amount: order.amount,
          currencyCode: order.currencyCode,
          status: 'active',
          chargedPeriods: 1,
          nextChargeAt: new Date(now.getTime() + month).toISOString(),
          createdAt: now.toISOString(),
          updatedAt: now.toISOString(),
        }
      }
      // as the signer's: the order's own fields, without the subscription GET /orders/:ref adds
      const { subscription: _, ...view } = order
      return json(200, { order: view, accessToken: `token-${order.callerReference}` })
    }
    const [ref = '', action] = route.slice('orders/'.length).split('/')
    const order = orders.get(decodeURIComponent(ref))
    if (!order) return problem(404, 'order_not_found')
    if (req.headers.authorization !== `Bearer token-${order.callerReference}`) {
      return problem(401, 'unauthorized')
    }
    if (action === 'cancel') {
      // a plan's order cancels its subscription while it charges; the order stays paid
      const subscription = order.subscription
      if (subscription && ['trialing', 'active', 'past_due'].includes(subscription.status)) {
        subscription.status = 'cancelled'
        subscription.updatedAt = new Date().toISOString()
        delete subscription.nextChargeAt
        return json(200, { order })
      }
      if (order.status !== 'created' && order.status !== 'reserved') {
        return problem(409, 'invalid_order_state')
      }
      order.status = 'cancelled'
      return json(200, { order })
    }
    if (action === 'refund-requests') {
      if (order.refundRequest) return problem(409, 'refund_already_requested')
      if (order.status !== 'success') return problem(409, 'invalid_order_state')
      order.refundRequest = { id: `rfr_${ref}`, status: 'open', amount: order.amount }
      return json(201, { refundRequest: order.refundRequest })
    }
    return json(200, { order: { ...order, history: [] } })
  }

  async function respond(req: IncomingMessage, path: string, body: string) {
    const fps = path.match(/^\/fps\/(checkout|return|orders\/.+)$/)
    if (fps?.[1]) {
      received.push({ method: req.method ?? '', path, headers: req.headers, body })
      // a preflight is answered as the signer answers an origin it does not allow: no CORS headers
      if (req.method === 'OPTIONS') return { status: 204, type: 'text/plain', body: '' }
      return signer(fps[1], req, body)
    }
    const page = path.match(/^\/p\/(\d+)$/)
    if (page) return renderPage(Number(page[1]))
    const file = files.get(path)
    if (file !== undefined) return { status: 200, type: 'text/javascript', body: file }
    if (path === '/cbui') return { status: 200, type: 'text/html', body: '<title>CBUI</title>' }
    if (path === '/page.css') {
      return {
        status: 200,
        type: 'text/css',
        body: 'body{margin:0;font:16px system-ui}main{padding:16px;display:inline-block}',
      }
    }
    const root = path.startsWith('/dist/') ? dist : path.startsWith('/m/') ? modules : undefined
    if (root) {
      const file = join(root, path.replace(/^\/(dist|m)\//, ''))
      const text = await readFile(file, 'utf8').catch(() => undefined)
      if (text !== undefined)
        return { status: 200, type: types[extname(file)] ?? 'text/plain', body: text }
    }
    return { status: 404, type: 'text/plain', body: 'not found' }
  }

  const answer = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    if (path.startsWith('/down/')) {
      req.socket.destroy()
      return
    }
    const body = await read(req)
    const r: {
      status: number
      type: string
      body: string
      csp?: string
      location?: string
      isolated?: boolean
    } = await respond(req, path, body)
    const headers: Record<string, string> = { 'content-type': r.type }
    if (r.csp) headers['content-security-policy'] = r.csp
    if (r.isolated) headers['cross-origin-opener-policy'] = 'same-origin'
    if (r.location) headers.location = r.location
    res.writeHead(r.status, headers).end(r.body)
  }
  // a fixture that throws answers 500 with the error, so the test that met it fails on it
  const server = createServer((req, res) => {
    answer(req, res).catch((error: unknown) => {
      console.error('the fixture server failed:', error)
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    origin,
    received,
    orders,
    /** The signer requests to one route, e.g. `/fps/checkout`. */
    requests: (path: string) => received.filter((r) => r.path === path),
    /** Serves a fixture page (the IIFE in its head, under the CSP) and returns its URL. */
    page(body: string, options: PageOptions = {}) {
      pages.push({ body, options })
      return `${origin}/p/${pages.length - 1}`
    },
    /** Serves a script at a path, for pages that need one (inline scripts would break the CSP). */
    script(path: string, code: string) {
      files.set(path, code)
    },
    /** Answers the next request to a signer route with this reply instead of the default. */
    reply(route: Route, status: number, body: unknown) {
      replies.set(route, [...(replies.get(route) ?? []), { status, body }])
    },
    /** Holds the next request to a route until the returned function is called. */
    hold(route: Route) {
      let release = () => {}
      holds.set(route, new Promise((resolve) => (release = resolve)))
      return () => release()
    },
    /** Adds an order, as if a checkout had started it (and, with a subscription, a return). */
    seed(order: Omit<FakeOrder, 'status'> & { status?: string }) {
      orders.set(order.callerReference, { status: 'created', ...order })
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export type TestServer = Awaited<ReturnType<typeof startServer>>
