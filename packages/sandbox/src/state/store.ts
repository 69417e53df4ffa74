import { FpsFault } from '../errors.js'
import type { Cents } from '../money.js'
import { balanceBook, Ledger, WORLD } from './ledger.js'
import type {
  Account,
  IdempotencyRecord,
  Instrument,
  OutboxEntry,
  Posting,
  Token,
  Transaction,
} from './model.js'

/** The persisted form of the state: plain JSON, written whole after each committed change. */
export interface Snapshot {
  format: 1
  accounts: Account[]
  tokens: Token[]
  transactions: Transaction[]
  instruments: Instrument[]
  idempotency: [string, IdempotencyRecord][]
  outbox: OutboxEntry[]
  postings: Posting[]
  /** How far tests moved the clock ahead; kept so that time never runs backwards over a restart. */
  clockOffsetMs?: number
}

/** A caller's API credentials; kept in memory only, never in the snapshot. */
export interface Credential {
  accessKeyId: string
  secretKey: string
  accountId: string
  ipnUrl?: string
}

/** Everything the sandbox knows, in memory; `onCommit` persists it when a data directory is set. */
export class SandboxState {
  readonly accounts = new Map<string, Account>()
  readonly tokens = new Map<string, Token>()
  readonly transactions = new Map<string, Transaction>()
  readonly instruments = new Map<string, Instrument>()
  readonly idempotency = new Map<string, IdempotencyRecord>()
  readonly outbox = new Map<string, OutboxEntry>()
  readonly credentials = new Map<string, Credential>()
  readonly ledger: Ledger
  /** How far ahead of its base the sandbox's clock runs (see `SandboxClock`). */
  clockOffsetMs: number

  constructor(
    snapshot?: Snapshot,
    private readonly onCommit: (snapshot: Snapshot) => void = () => {}
  ) {
    this.ledger = new Ledger(snapshot?.postings)
    this.clockOffsetMs = snapshot?.clockOffsetMs ?? 0
    for (const account of snapshot?.accounts ?? []) this.accounts.set(account.id, account)
    for (const token of snapshot?.tokens ?? []) this.tokens.set(token.id, token)
    for (const txn of snapshot?.transactions ?? []) this.transactions.set(txn.id, txn)
    for (const instrument of snapshot?.instruments ?? [])
      this.instruments.set(instrument.id, instrument)
    for (const [key, record] of snapshot?.idempotency ?? []) this.idempotency.set(key, record)
    for (const entry of snapshot?.outbox ?? []) this.outbox.set(entry.id, entry)
  }

  /** Adds an account unless it exists, funding its opening balance from the outside world. */
  ensureAccount(account: Account, openingBalance: Cents, at: string): void {
    if (this.accounts.has(account.id)) return
    this.accounts.set(account.id, account)
    this.ledger.move(WORLD, balanceBook(account.id), openingBalance, `opening-${account.id}`, at)
  }

  account(id: string): Account {
    const account = this.accounts.get(id)
    if (!account) throw new FpsFault('InternalError', `Account ${id} is missing from the sandbox.`)
    return account
  }

  accountByEmail(email: string): Account | undefined {
    const wanted = email.trim().toLowerCase()
    for (const account of this.accounts.values()) if (account.email === wanted) return account
    return undefined
  }

  /** The available Amazon Payments balance of an account. */
  balance(accountId: string): Cents {
    return this.ledger.balance(balanceBook(accountId))
  }

  /** Persists the current state; call once per completed change so a crash never splits one. */
  commit(): void {
    this.onCommit(this.snapshot())
  }

  snapshot(): Snapshot {
    return {
      format: 1,
      accounts: [...this.accounts.values()],
      tokens: [...this.tokens.values()],
      transactions: [...this.transactions.values()],
      instruments: [...this.instruments.values()],
      idempotency: [...this.idempotency.entries()],
      outbox: [...this.outbox.values()],
      postings: this.ledger.postings,
      clockOffsetMs: this.clockOffsetMs,
    }
  }
}
