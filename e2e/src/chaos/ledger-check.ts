import type { Store } from '@fps-checkout/signer'
import type { Harness } from '@fps-checkout/signer/testing'
import { type Figure, none } from '../figures.js'
import { type Mismatch, reconcile } from './reconcile.js'
import type { SignerLog } from './signer-log.js'

/** A run's reconciliation: its mismatches, the figure, and the first few of them explained. */
export interface LedgerCheck {
  mismatches: Mismatch[]
  figure: Figure
  /**
   * The first mismatches, each with every ledger entry under its callerReference (whoever the
   * caller), its history and the signer's log lines that name it.
   */
  explained: string
}

/**
 * Reconciles every order of `store` with the sandbox's ledger (run it once the sandbox is idle and
 * a sweep has run) and reports `<run>_ledger_mismatches`, target 0.
 */
export async function checkLedger(
  h: Harness,
  store: Store,
  run: string,
  log: SignerLog
): Promise<LedgerCheck> {
  const mismatches = await reconcile(h, store)
  const explained = await explain(h, store, log, mismatches.slice(0, 5))
  return {
    mismatches,
    explained: `${mismatches.length} orders disagree with the ledger${explained}`,
    figure: none(
      `${run}_ledger_mismatches`,
      mismatches.length,
      'orders',
      'every order against the merchant’s ledger, once FPS is idle and a sweep has run'
    ),
  }
}

async function explain(h: Harness, store: Store, log: SignerLog, mismatches: readonly Mismatch[]) {
  const { state } = h.sandbox
  const lines: string[] = []
  for (const { callerReference, status, problem } of mismatches) {
    lines.push(`${callerReference} ${status}: ${problem}`)
    for (const txn of state.transactions.values()) {
      if (txn.callerReference !== callerReference) continue
      const caller = state.accounts.get(txn.callerAccountId)?.name ?? txn.callerAccountId
      lines.push(`  ledger: ${txn.operation} ${txn.id} ${txn.status} ${txn.amount}¢ by ${caller}`)
    }
    for (const entry of await store.history(callerReference))
      lines.push(`  history: ${entry.at} ${entry.status} ${entry.note}`)
    for (const line of log.naming(callerReference)) lines.push(`  log: ${line}`)
  }
  return lines.length === 0 ? '.' : `; the first:\n${lines.join('\n')}`
}
