import { completeTransaction } from '../engine/completion.js'
import { transition } from '../engine/lifecycle.js'
import type { Transaction } from '../state/model.js'
import type { SandboxState } from '../state/store.js'
import { Alarm } from './alarm.js'

/** When a transaction next changes by itself: a Pending one completes, a Reserved one expires. */
function dueAt(txn: Transaction): number | undefined {
  if (txn.status === 'Pending') return txn.completesAt
  if (txn.status === 'Reserved') return txn.expiresAt
  return undefined
}

/**
 * Completes Pending CC and ACH transactions when their time comes, as the payment processor's
 * answer would have, and expires reserves left unsettled; survives restarts because the due
 * times are part of the state. Due times are the sandbox's time, so an advance of its clock
 * brings them closer: `catchUp()` runs after each one.
 */
export class Completions {
  private readonly alarm = new Alarm(
    () => this.runDue(),
    () => this.now().getTime()
  )

  constructor(
    private readonly state: SandboxState,
    private readonly now: () => Date,
    private readonly reserveExpiryMs: number,
    private readonly onTransaction: (txn: Transaction) => void
  ) {}

  /** Arms the alarm for every transaction (after a restart) or for one that just changed. */
  watch(txn?: Transaction): void {
    for (const candidate of txn ? [txn] : this.state.transactions.values()) {
      const due = dueAt(candidate)
      if (due !== undefined) this.alarm.at(due)
    }
  }

  /** How many transactions are still waiting for the processor. */
  pending(): number {
    return [...this.state.transactions.values()].filter((txn) => txn.completesAt !== undefined)
      .length
  }

  /** Lets the processor answer every Pending transaction now, for tests that must not wait. */
  completeAll(): void {
    const now = this.now().getTime()
    for (const txn of this.state.transactions.values()) {
      if (txn.status === 'Pending' && txn.completesAt !== undefined) txn.completesAt = now
    }
    this.runDue()
  }

  /** After the clock jumped ahead: runs what is now due and waits afresh for the rest. */
  catchUp(): void {
    this.alarm.reset()
    this.runDue()
  }

  private runDue(): void {
    const now = this.now()
    for (const txn of this.state.transactions.values()) {
      const due = dueAt(txn)
      if (due === undefined) continue
      if (due > now.getTime()) {
        this.alarm.at(due)
        continue
      }
      if (txn.status === 'Reserved') transition(this.state, txn, 'Cancelled', 'expired', now)
      else
        completeTransaction({ state: this.state, now, reserveExpiryMs: this.reserveExpiryMs }, txn)
      this.onTransaction(txn)
    }
    this.state.commit()
  }

  close(): void {
    this.alarm.close()
  }
}
