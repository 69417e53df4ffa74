import { join } from 'node:path'
import {
  openStore,
  type SignerOptions,
  type SignerSettings,
  type Store,
} from '@fps-checkout/signer'
import { ADMIN_TOKEN, Harness, type HarnessOptions, RETURN_URL } from '@fps-checkout/signer/testing'

/** A rate limit no single run reaches: every chaos run talks to the signer from 127.0.0.1 alone. */
export const UNLIMITED_CHECKOUTS = { limit: 100_000_000, windowMs: 60_000 }

/** Every rate limit of the signer lifted (checkouts, returns, failed authentications), likewise. */
export const UNLIMITED_RATES = {
  checkoutRateLimit: UNLIMITED_CHECKOUTS,
  returnRateLimit: UNLIMITED_CHECKOUTS,
  authFailureLimit: UNLIMITED_CHECKOUTS,
}

/** A test buyer's order, authorized at CBUI, with the query the return page would post. */
export interface Authorized {
  callerReference: string
  query: string
}

/**
 * The signer's harness (real sandbox, real signer, both on HTTP ports of 127.0.0.1, SQLite in a
 * temp dir), with the rate limits lifted and its log kept out of memory unless asked for.
 * `harness` adds the sandbox's callers and the signer's key (an attacker's, `withAdversary`).
 */
export function startRig(
  signer: Partial<SignerOptions> = {},
  harness: HarnessOptions = {}
): Promise<Harness> {
  return Harness.start({
    ...harness,
    sandbox: { faults: true, ...harness.sandbox },
    signer: { log: () => undefined, ...UNLIMITED_RATES, ...harness.signer, ...signer },
  })
}

/**
 * What a killable signer process of a run is started with: the rig's key, sandbox and return URL,
 * FPS's IPNs through `ipnUrl` (a relay, since each restart moves the port), its own SQLite file in
 * the rig's directory, every checkout recoverable at once, and the rate limits lifted.
 */
export function processSettings(
  h: Harness,
  run: { ipnUrl: string; database: string; leaseMs: number }
): SignerSettings {
  return {
    ...h.key,
    apiUrl: `${h.sandboxUrl}/`,
    returnUrl: RETURN_URL,
    ipnUrl: run.ipnUrl,
    adminToken: ADMIN_TOKEN,
    databaseUrl: `file:${join(h.dir, run.database)}`,
    leaseMs: run.leaseMs,
    recoverAfterMs: 1,
    ...UNLIMITED_RATES,
  }
}

/** A second connection to the signer's database, as another process would open it, for counts. */
export function openSignerStore(databaseUrl: string | undefined): Store {
  if (!databaseUrl) throw new Error('The signer has no database URL.')
  return openStore(databaseUrl)
}

/**
 * Every Pay in the sandbox's ledger made under the merchant's caller account: the charges the
 * buyers actually saw (an attacker's own Pays may reuse the orders' callerReferences).
 */
export function ledgerPays(h: Harness): { id: string; callerReference: string; amount: number }[] {
  const merchant = h.sandbox.state.credentials.get(h.key.accessKeyId)?.accountId
  return [...h.sandbox.state.transactions.values()]
    .filter((txn) => txn.operation === 'Pay' && txn.callerAccountId === merchant)
    .map(({ id, callerReference, amount }) => ({ id, callerReference, amount }))
}

/**
 * Starts a checkout and walks the CBUI pages over HTTP as alice (whose balance is $1,000: ABT
 * runs at $0.75 stay far from it), stopping before the return is posted. `sighted` hears of the
 * order as soon as it exists, as an attacker watching the checkouts would.
 */
export async function authorizedOrder(
  h: Harness,
  reason = 'Chaos',
  method: 'ABT' | 'CC' = 'ABT',
  sighted?: (callerReference: string) => void
): Promise<Authorized> {
  const { status, json } = await h.checkout({ amount: '0.75', reason })
  if (status !== 200 || !json.url || !json.callerReference)
    throw new Error(`Checkout answered ${status}: ${JSON.stringify(json)}`)
  sighted?.(json.callerReference)
  return { callerReference: json.callerReference, query: await h.authorize(json.url, { method }) }
}

/** Runs `work` over `items` with at most `lanes` in flight; answers the results in order. */
export async function inLanes<T, R>(
  items: readonly T[],
  lanes: number,
  work: (item: T, index: number) => Promise<R>
): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  const lane = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await work(items[index] as T, index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(lanes, items.length) }, lane))
  return results
}

/** Repeats `attempt` until it answers something other than undefined, at most `times` times. */
export async function retry<T>(
  times: number,
  attempt: (round: number) => Promise<T | undefined>
): Promise<T> {
  for (let round = 0; round < times; round++) {
    const answer = await attempt(round)
    if (answer !== undefined) return answer
  }
  throw new Error(`Still no answer after ${times} attempts.`)
}
