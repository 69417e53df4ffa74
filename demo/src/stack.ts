import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DEFAULT_CALLER, type RunningSandbox, serveSandbox } from '@fps-checkout/sandbox'
import { createSigner, type LogSink, type Signer } from '@fps-checkout/signer'
import { serve } from '@hono/node-server'
import type { Hono } from 'hono'
import { downloadLinks } from './download-links.js'
import { fulfilOrders } from './fulfil.js'
import { type Fulfilments, openFulfilments } from './fulfilments.js'
import { createShop } from './shop.js'
import { type CatalogItems, shopCatalog } from './songs.js'
import { openStreamingPasses, type StreamingPasses } from './streaming.js'

const demoDir = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const host = '127.0.0.1'

/** The built `<fps-buy-button>` script, served to the shop's pages as a merchant would. */
export const ELEMENTS_SCRIPT = resolve(demoDir, '../packages/elements/dist/fps-elements.iife.js')
/** The built order page's script: the same elements with `<fps-order>`, the buyer's actions. */
const ORDER_SCRIPT = resolve(demoDir, '../packages/elements/dist/fps-order.iife.js')

/** Where the demo keeps its data, and on which ports it listens (0: a free one). */
export interface DemoOptions {
  dataDir: string
  shopPort?: number
  sandboxPort?: number
  /** How long card and bank payments stay Pending in the sandbox (its default when unset). */
  settlementDelayMs?: number
  /** Where the signer's JSON log lines go; stdout when unset. */
  log?: LogSink
  /** `reserve` reserves at the return, so the orders page settles (or cancels) on shipment. */
  capture?: 'pay' | 'reserve'
  /** How long the sweep leaves a checkout to its buyer's return before recovering it. */
  recoverAfterMs?: number
  /**
   * How often the signer sweeps (every minute when unset); 0 never, for tests that sweep when
   * they mean to, so no sweep lands in the middle of a flow they check.
   */
  sweepEveryMs?: number
  /**
   * The time the stack's one clock runs from (the system's when unset). That clock is the
   * sandbox's (`sandbox.sandbox.clock`, which tests move ahead): the signer charges a
   * subscription's periods by it, FPS counts the Recurring token's periods by it, and the shop
   * issues and expires its download links and streaming by it.
   */
  now?: () => Date
  /** Items added to the demo's catalog (or replacing one of the same id), e.g. a test's plan. */
  catalog?: CatalogItems
}

/** The three running services: the shop (with the signer at /fps) and the FPS sandbox. */
export interface RunningDemo {
  shopUrl: string
  sandbox: RunningSandbox
  signer: Signer
  adminToken: string
  /** What the shop delivered, as the signer's events told it. */
  fulfilments: Fulfilments
  /** The subscriptions' streaming, as their events told it. */
  streaming: StreamingPasses
  close(): Promise<void>
}

/**
 * A secret made on the first run and kept with the data: the admin token, so orders stay
 * reachable, and the download links' key, so the links issued stay good across restarts.
 */
function keptSecret(dataDir: string, name: 'admin-token' | 'download-secret'): string {
  const file = join(dataDir, name)
  if (!existsSync(file)) writeFileSync(file, randomBytes(24).toString('base64url'), { mode: 0o600 })
  return readFileSync(file, 'utf8').trim()
}

/**
 * Starts the DigitalDownload demo: the shop listens first (its URL is the signer's return URL),
 * then the sandbox, then the signer, which the shop mounts at `/fps` and whose events fulfil
 * the orders.
 */
export async function startDemo(options: DemoOptions): Promise<RunningDemo> {
  if (!existsSync(ELEMENTS_SCRIPT) || !existsSync(ORDER_SCRIPT))
    throw new Error('The elements are not built: run `pnpm build` first.')
  mkdirSync(options.dataDir, { recursive: true })
  const { items } = JSON.parse(readFileSync(join(demoDir, 'catalog.json'), 'utf8')) as {
    items: CatalogItems
  }
  const catalog = { items: { ...items, ...options.catalog } }
  const sells = shopCatalog(catalog.items)
  const fulfilments = openFulfilments(join(options.dataDir, 'fulfilments.json'))
  const streaming = openStreamingPasses(join(options.dataDir, 'streaming.json'))

  let shop: Hono | undefined
  const shopServer = await new Promise<ReturnType<typeof serve>>((ready, fail) => {
    const server = serve(
      {
        fetch: (request) =>
          shop ? shop.fetch(request) : new Response('Starting', { status: 503 }),
        port: options.shopPort ?? 0,
        hostname: host,
      },
      () => ready(server)
    )
    server.once('error', fail)
  })
  const shopUrl = `http://${host}:${(shopServer.address() as AddressInfo).port}`
  const sandbox = await serveSandbox({
    port: options.sandboxPort ?? 0,
    host,
    dataDir: join(options.dataDir, 'sandbox'),
    callers: [{ ...DEFAULT_CALLER, ipnUrl: `${shopUrl}/fps/ipn` }],
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.settlementDelayMs === undefined
      ? {}
      : { settlementDelayMs: options.settlementDelayMs }),
  })
  const { now } = sandbox.sandbox.clock
  const token = keptSecret(options.dataDir, 'admin-token')
  const signer = createSigner({
    accessKeyId: DEFAULT_CALLER.accessKeyId,
    secretKey: DEFAULT_CALLER.secretKey,
    target: 'local',
    apiUrl: `${sandbox.url}/`,
    returnUrl: `${shopUrl}/return`,
    ipnUrl: `${shopUrl}/fps/ipn`,
    catalog,
    allowedOrigins: [shopUrl],
    logoHosts: [`${shopUrl}/assets/`],
    adminToken: token,
    databaseUrl: `file:${join(options.dataDir, 'signer.db')}`,
    websiteDescription: 'DigitalDownload',
    now,
    onEvent: fulfilOrders(fulfilments, { songs: sells.songs, now, streaming }),
    ...(options.log === undefined ? {} : { log: options.log }),
    ...(options.capture === undefined ? {} : { capture: options.capture }),
    ...(options.recoverAfterMs === undefined ? {} : { recoverAfterMs: options.recoverAfterMs }),
  })
  await signer.ready
  shop = createShop({
    origin: shopUrl,
    sandboxOrigin: sandbox.url,
    signer: signer.app,
    catalog: sells,
    songs: sells.songs,
    fulfilments,
    streaming,
    links: downloadLinks(keptSecret(options.dataDir, 'download-secret')),
    now,
    publicDir: join(demoDir, 'public'),
    elementsScript: ELEMENTS_SCRIPT,
    orderScript: ORDER_SCRIPT,
  })
  // a sweep never rejects: what fails is logged and counted
  const sweepEveryMs = options.sweepEveryMs ?? 60_000
  const sweeper =
    sweepEveryMs > 0 ? setInterval(() => void signer.sweep(), sweepEveryMs) : undefined
  sweeper?.unref()
  return {
    shopUrl,
    sandbox,
    signer,
    adminToken: token,
    fulfilments,
    streaming,
    async close() {
      clearInterval(sweeper)
      await new Promise<void>((done) => {
        shopServer.close(() => done())
        if ('closeAllConnections' in shopServer) shopServer.closeAllConnections()
      })
      await sandbox.close()
      await signer.close()
    },
  }
}
