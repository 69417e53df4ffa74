import { idsMachinery } from './machinery/ids.js'
import { checkoutMachinery, purchaseMachinery } from './machinery/served.js'
import { signingMachinery } from './machinery/signing.js'
import type { Figure } from './measure.js'

/**
 * Each piece of machinery added for a benchmark figure against the path that replaces it, in
 * alternating rounds of one run: the SigV2 signer's memo on `sign_ratio`; the id pool on ids/s and
 * checkouts; the SQLite group commit, and the fdatasync handle and checkpoint thread it once had,
 * on checkouts and purchases (throughput, the signer's CPU per request, p99). Each variant is the
 * tree's sources with the machinery grafted back from git, or with the stock path in place of
 * machinery the tree keeps; a piece earns its place with a gain of 1.5.
 */
export async function machineryBenchmark(): Promise<Figure[]> {
  return [
    ...(await signingMachinery()),
    ...(await idsMachinery()),
    ...(await checkoutMachinery()),
    ...(await purchaseMachinery()),
  ]
}
