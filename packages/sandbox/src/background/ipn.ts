import { randomUUID } from 'node:crypto'
import { formatCents } from '@fps-checkout/protocol'
import type { OutboxEntry, Token, Transaction } from '../state/model.js'
import type { SandboxState } from '../state/store.js'
import { Alarm } from './alarm.js'

/** How IPN delivery retries: FPS kept trying for about a day; tests make it fast. */
export interface IpnOptions {
  maxAttempts: number
  baseDelayMs: number
  maxDelayMs: number
  timeoutMs: number
}

export const DEFAULT_IPN_OPTIONS: IpnOptions = {
  maxAttempts: 12,
  baseDelayMs: 1_000,
  maxDelayMs: 3_600_000,
  timeoutMs: 10_000,
}

/** The TransactionStatus notification FPS posted for a transaction's current status. */
export function transactionIpnParams(
  state: SandboxState,
  txn: Transaction
): Record<string, string> {
  const buyer = state.accounts.get(
    txn.operation === 'Refund' ? txn.recipientAccountId : txn.senderAccountId
  )
  const seller = state.accounts.get(
    txn.operation === 'Refund' ? txn.senderAccountId : txn.recipientAccountId
  )
  return {
    notificationType: 'TransactionStatus',
    transactionId: txn.id,
    transactionDate: String(Math.floor(Date.parse(txn.dateReceived) / 1000)),
    transactionStatus: txn.status.toUpperCase(),
    statusCode: txn.statusCode,
    statusMessage: txn.statusMessage,
    operation: txn.operation.toUpperCase(),
    callerReference: txn.callerReference,
    transactionAmount: `USD ${formatCents(txn.amount)}`,
    paymentMethod: txn.paymentMethod,
    ...(txn.paymentReason !== undefined && { paymentReason: txn.paymentReason }),
    ...(buyer && { buyerName: buyer.name, buyerEmail: buyer.email }),
    ...(seller && { recipientName: seller.name, recipientEmail: seller.email }),
    ...(txn.parentId !== undefined && { parentTransactionId: txn.parentId }),
  }
}

/** The TokenCancellation notification. */
export function tokenCancellationIpnParams(
  state: SandboxState,
  token: Token
): Record<string, string> {
  const owner = state.accounts.get(token.ownerAccountId)
  return {
    notificationType: 'TokenCancellation',
    tokenId: token.id,
    tokenType: token.type,
    callerReference: token.callerReference,
    dateInstalled: token.dateInstalled,
    ...(owner && { customerName: owner.name, customerEmail: owner.email }),
    ...(token.paymentReason !== undefined && { paymentReason: token.paymentReason }),
  }
}

/** Signs a notification for the URL it is posted to. */
export type IpnSigner = (url: string, params: Record<string, string>) => Record<string, string>

/**
 * Delivers IPNs from a persisted outbox: POSTs the signed form, retries with exponential backoff
 * until a 2xx or `maxAttempts`, oldest first. The outbox survives restarts with the state.
 * Retries wait on the wall clock, not the sandbox's: a receiver recovers in real time, and a test
 * that moves the clock a month ahead must not spend its retries at once. What a notification
 * says (`transactionDate`, `dateInstalled`) is the sandbox's time, taken from the state.
 */
export class IpnDispatcher {
  private readonly alarm = new Alarm(() => void this.deliverDue())
  private delivering = false

  constructor(
    private readonly state: SandboxState,
    private readonly sign: IpnSigner,
    private readonly options: IpnOptions,
    private readonly log: (line: string) => void
  ) {
    for (const entry of state.outbox.values()) this.alarm.at(entry.nextAttemptAt)
  }

  /** Queues a notification; the caller commits the state with it. */
  enqueue(url: string, params: Record<string, string>): void {
    const entry: OutboxEntry = {
      id: randomUUID(),
      url,
      params,
      attempts: 0,
      nextAttemptAt: Date.now(),
    }
    this.state.outbox.set(entry.id, entry)
    this.alarm.at(entry.nextAttemptAt)
  }

  /** Notifications not yet delivered (or given up on). */
  pending(): number {
    return this.state.outbox.size + (this.delivering ? 1 : 0)
  }

  close(): void {
    this.alarm.close()
  }

  private async deliverDue(): Promise<void> {
    if (this.delivering) {
      this.alarm.at(Date.now() + 10)
      return
    }
    this.delivering = true
    try {
      const now = Date.now()
      for (const entry of [...this.state.outbox.values()]) {
        if (entry.nextAttemptAt <= now) await this.attempt(entry)
        else this.alarm.at(entry.nextAttemptAt)
      }
    } finally {
      this.delivering = false
    }
  }

  private async attempt(entry: OutboxEntry): Promise<void> {
    entry.attempts += 1
    const outcome = await this.post(entry)
    if (outcome === 'delivered') {
      this.state.outbox.delete(entry.id)
    } else if (entry.attempts >= this.options.maxAttempts) {
      this.state.outbox.delete(entry.id)
      this.log(
        `IPN ${entry.params.notificationType} to ${entry.url} abandoned after ${entry.attempts} attempts: ${outcome}`
      )
    } else {
      entry.lastError = outcome
      const backoff = this.options.baseDelayMs * 2 ** (entry.attempts - 1)
      entry.nextAttemptAt = Date.now() + Math.min(backoff, this.options.maxDelayMs)
      this.alarm.at(entry.nextAttemptAt)
    }
    this.state.commit()
  }

  private async post(entry: OutboxEntry): Promise<string> {
    try {
      const response = await fetch(entry.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: new URLSearchParams(this.sign(entry.url, entry.params)),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      })
      await response.body?.cancel()
      return response.ok ? 'delivered' : `HTTP ${response.status}`
    } catch (error) {
      return error instanceof Error ? error.message : String(error)
    }
  }
}
