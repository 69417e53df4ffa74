import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { SignerSettings } from '@fps-checkout/signer'
import { freePort, Harness } from '@fps-checkout/signer/testing'
import { ready, startChild } from '../child.js'

/**
 * The real sandbox, here, and the real signer in a process of its own (FPS was a remote service:
 * its work is not the signer's), with PURCHASES buyers who have authorized on the CBUI pages
 * (walked over HTTP) and not yet come back: each return the bench sends is a complete purchase
 * (RSA verification, the stored Pay sent to the sandbox, the outcome stored, then the IPN).
 */
const purchases = Number(process.env.PURCHASES ?? 500)
const harness = await Harness.start({
  signer: {
    checkoutRateLimit: { limit: 1_000_000_000, windowMs: 60_000 },
    returnRateLimit: { limit: 1_000_000_000, windowMs: 60_000 },
    log: () => {},
  },
})
const queries: string[] = []
for (let i = 0; i < purchases; i++) {
  const { json } = await harness.checkout({ amount: '0.90', reason: `Song ${i}` })
  if (!json.url) throw new Error(`checkout failed: ${JSON.stringify(json)}`)
  queries.push(await harness.authorize(json.url))
}
const file = join(harness.dir, 'returns.json')
writeFileSync(file, JSON.stringify(queries))
await harness.signer.close()

const port = await freePort()
const { log: _log, ...options } = harness.signerOptions
const settings: SignerSettings = { ...options, ipnUrl: `http://127.0.0.1:${port}/ipn` }
const signer = await startChild<{ url: string }>('purchase-signer', {
  SIGNER_SETTINGS: JSON.stringify(settings),
  PORT: String(port),
})
ready({ url: `${signer.info.url}/return`, file, signerPid: signer.info.pid }, async () => {
  await signer.stop()
  await harness.close()
})
