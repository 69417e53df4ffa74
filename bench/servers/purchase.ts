import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { SignerSettings } from '@fps-checkout/signer'
import { freePort, Harness } from '@fps-checkout/signer/testing'
import { ready, startChild } from '../child.js'

/**
 * The real sandbox, here, and the real signer in a process of its own (FPS was a remote service:
 * its work is not the signer's), with PURCHASES buyers who have authorized on the CBUI pages
 * (walked over HTTP) and not yet come back: each return the bench sends is a complete purchase
 * (RSA verification, the stored Pay sent to the sandbox, the outcome stored, then the IPN). And
 * BURST more, at $0.50 so the test buyer's $1,000 covers them too, for returns sent all at once.
 */
const purchases = Number(process.env.PURCHASES ?? 500)
const burst = Number(process.env.BURST ?? 0)
const harness = await Harness.start({
  signer: {
    checkoutRateLimit: { limit: 1_000_000_000, windowMs: 60_000 },
    returnRateLimit: { limit: 1_000_000_000, windowMs: 60_000 },
    log: () => {},
  },
})
async function authorized(count: number, amount: string): Promise<string[]> {
  const queries: string[] = []
  for (let i = 0; i < count; i++) {
    const { json } = await harness.checkout({ amount, reason: `Song ${i}` })
    if (!json.url) throw new Error(`checkout failed: ${JSON.stringify(json)}`)
    queries.push(await harness.authorize(json.url))
  }
  return queries
}
const file = join(harness.dir, 'returns.json')
writeFileSync(file, JSON.stringify(await authorized(purchases, '0.90')))
const burstFile = join(harness.dir, 'burst.json')
writeFileSync(burstFile, JSON.stringify(await authorized(burst, '0.50')))
await harness.signer.close()

const port = await freePort()
const { log: _log, ...options } = harness.signerOptions
const settings: SignerSettings = { ...options, ipnUrl: `http://127.0.0.1:${port}/ipn` }
const signer = await startChild<{ url: string }>('purchase-signer', {
  SIGNER_SETTINGS: JSON.stringify(settings),
  PORT: String(port),
})
ready(
  { url: `${signer.info.url}/return`, file, burstFile, signerPid: signer.info.pid },
  async () => {
    await signer.stop()
    await harness.close()
  }
)
