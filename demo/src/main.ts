import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  DEFAULT_CALLER,
  serveSandbox,
  TEST_BUYER_PASSWORD,
  TEST_BUYERS,
} from '@fps-checkout/sandbox'
import { createSigner } from '@fps-checkout/signer'
import { serve } from '@hono/node-server'
import type { Hono } from 'hono'
import { createShop } from './shop.js'
import { loadSongs } from './songs.js'

const demoDir = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const dataDir = join(demoDir, '.data')
const elementsScript = resolve(demoDir, '../packages/elements/dist/fps-elements.iife.js')
const catalog = join(demoDir, 'catalog.json')
const host = '127.0.0.1'

/** A port from the environment, or 0 for a free one. */
function port(name: string): number {
  const value = process.env[name]
  if (value === undefined || value === '') return 0
  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535)
    throw new Error(`${name} must be a port number, not "${value}".`)
  return parsed
}

/** The admin token, made on the first run and kept with the data, so orders stay reachable. */
function adminToken(): string {
  const file = join(dataDir, 'admin-token')
  if (!existsSync(file)) writeFileSync(file, randomBytes(24).toString('base64url'), { mode: 0o600 })
  return readFileSync(file, 'utf8').trim()
}

if (!existsSync(elementsScript)) {
  console.error(
    'The elements are not built: run `pnpm build` first (npm run demo does it for you).'
  )
  process.exit(1)
}
mkdirSync(dataDir, { recursive: true })
const { songs, donation } = loadSongs(catalog)

let shop: Hono | undefined
const shopServer = await new Promise<ReturnType<typeof serve>>((ready, fail) => {
  const server = serve(
    { fetch: (request) => shop!.fetch(request), port: port('DEMO_PORT'), hostname: host },
    () => ready(server)
  )
  server.once('error', fail)
})
const origin = `http://${host}:${(shopServer.address() as AddressInfo).port}`
const sandbox = await serveSandbox({
  port: port('SANDBOX_PORT'),
  host,
  dataDir: join(dataDir, 'sandbox'),
  callers: [{ ...DEFAULT_CALLER, ipnUrl: `${origin}/fps/ipn` }],
})
const signer = createSigner({
  accessKeyId: DEFAULT_CALLER.accessKeyId,
  secretKey: DEFAULT_CALLER.secretKey,
  target: 'local',
  apiUrl: `${sandbox.url}/`,
  returnUrl: `${origin}/return`,
  ipnUrl: `${origin}/fps/ipn`,
  catalog,
  allowedOrigins: [origin],
  logoHosts: [host],
  adminToken: adminToken(),
  databaseUrl: `file:${join(dataDir, 'signer.db')}`,
  websiteDescription: 'DigitalDownload',
})
await signer.ready
shop = createShop({
  origin,
  sandboxOrigin: sandbox.url,
  signer: signer.app as unknown as Hono,
  songs,
  donation,
  publicDir: join(demoDir, 'public'),
  elementsScript,
})
const sweeper = setInterval(() => void signer.sweep(), 60_000)

console.log(`Demo shop: ${origin}/`)
console.log(
  `Signer: ${origin}/fps (mounted in the shop; orders at ${origin}/orders, admin token in demo/.data/admin-token)`
)
console.log(
  `FPS sandbox: ${sandbox.url}/ (test buyers: ${TEST_BUYERS.map((b) => b.email).join(', ')}; password "${TEST_BUYER_PASSWORD}")`
)

async function stop() {
  clearInterval(sweeper)
  shopServer.close()
  await sandbox.close()
  await signer.close()
  process.exit(0)
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
