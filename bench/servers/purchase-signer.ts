import type { SignerSettings } from '@fps-checkout/signer'
import { ready, signerPackage } from '../child.js'

const { serveSigner } = await signerPackage()

/**
 * The signer alone, in a process of its own, as a merchant runs it against a remote FPS: settings
 * as JSON in SIGNER_SETTINGS, listening on PORT (its IPN URL names that port), log lines dropped as
 * in the checkout bench.
 */
const settings = JSON.parse(process.env.SIGNER_SETTINGS ?? '{}') as SignerSettings
const running = await serveSigner(
  { ...settings, log: () => {} },
  { port: Number(process.env.PORT ?? 0), sweepIntervalMs: 0 }
)
ready({ url: running.url }, () => running.close())
