import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Harness } from '../../packages/signer/src/testing/harness.js'
import { ready } from '../child.js'

/**
 * The real sandbox and signer in one process, with PURCHASES buyers who have authorized on the
 * CBUI pages (walked over HTTP) and not yet come back: each return the bench sends is a complete
 * purchase (RSA verification, the stored Pay sent to the sandbox, the outcome stored).
 */
const purchases = Number(process.env.PURCHASES ?? 500)
const harness = await Harness.start({
  signer: { checkoutRateLimit: { limit: 1_000_000_000, windowMs: 60_000 }, log: () => {} },
})
const queries: string[] = []
for (let i = 0; i < purchases; i++) {
  const { json } = await harness.checkout({ amount: '0.90', reason: `Song ${i}` })
  if (!json.url) throw new Error(`checkout failed: ${JSON.stringify(json)}`)
  queries.push(await harness.authorize(json.url))
}
const file = join(harness.dir, 'returns.json')
writeFileSync(file, JSON.stringify(queries))
ready({ url: `${harness.signerUrl}/return`, file }, () => harness.close())
