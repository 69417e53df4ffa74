import { completeTransaction } from '../engine/completion.js'
import type { Transaction } from '../state/model.js'
import type { SandboxState } from '../state/store.js'
import { Alarm } from './alarm.js'

/**
 * Completes Pending CC and ACH transactions when their time comes, as the payment processor's
 * answer would have; survives restarts because `completesAt` is part of the state.
 */
export class Completions {
  private readonly alarm = new Alarm(() => this.completeDue())

  constructor(
    private readonly state: SandboxState,
    private readonly now: () => Date,
    private readonly onTransaction: (txn: Transaction) => void
  ) {}

  /** Arms the alarm for every Pending transaction (after a restart) or for one new one. */
  watch(txn?: Transaction): void {
    const txns = txn ? [txn] : [...this.state.transactions.values()]
    for (const candidate of txns) {
      if (candidate.status === 'Pending' && candidate.completesAt !== undefined)
        this.alarm.at(candidate.completesAt)
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
    this.completeDue()
  }

  private completeDue(): void {
    const now = this.now()
    for (const txn of this.state.transactions.values()) {
      if (txn.status !== 'Pending' || txn.completesAt === undefined) continue
      if (txn.completesAt > now.getTime()) {
        this.alarm.at(txn.completesAt)
        continue
      }
      completeTransaction({ state: this.state, now }, txn)
      this.onTransaction(txn)
    }
    this.state.commit()
  }

  close(): void {
    this.alarm.close()
  }
}
