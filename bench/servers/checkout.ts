import { mkdtempSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEFAULT_CALLER } from '@fps-checkout/sandbox'
import { serve } from '@hono/node-server'
import { ready, signerPackage } from '../child.js'

const { createSigner } = await signerPackage()

/**
 * A signer as a merchant runs it for `POST /checkout`: catalog pricing, an order insert, CBUI
 * signing. SQLite in a temp file unless DATABASE_URL names a PostgreSQL database. The rate limit
 * is lifted, since one load generator stands for many buyers.
 */
const signer = createSigner({
  accessKeyId: DEFAULT_CALLER.accessKeyId,
  secretKey: DEFAULT_CALLER.secretKey,
  returnUrl: 'https://shop.example/return',
  catalog: { items: { 'now-and-forever': { price: '0.90' } } },
  databaseUrl:
    process.env.DATABASE_URL ??
    `file:${join(mkdtempSync(join(tmpdir(), 'fps-bench-')), 'signer.db')}`,
  checkoutRateLimit: { limit: 1_000_000_000, windowMs: 60_000 },
  log: () => {},
})
await signer.ready
const server = serve(
  { fetch: signer.app.fetch, port: 0, hostname: '127.0.0.1' },
  (info: AddressInfo) =>
    ready({ url: `http://127.0.0.1:${info.port}/checkout` }, async () => {
      server.close()
      await signer.close()
    })
)
