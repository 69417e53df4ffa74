import type { Cents } from '../money.js'

/** How a sender pays: Amazon Payments balance, bank account, credit card. */
export type PaymentMethod = 'ABT' | 'ACH' | 'CC'
export const PAYMENT_METHODS: readonly PaymentMethod[] = ['ABT', 'ACH', 'CC']
/** How a transaction is paid: a sender's instrument, a prepaid balance, or a postpaid credit line. */
export type TransactionMethod = PaymentMethod | 'Prepaid' | 'Debt'

/** An Amazon Payments account: a test buyer (sender, or recipient on a marketplace) or a caller. */
export interface Account {
  id: string
  name: string
  email: string
  kind: 'buyer' | 'caller'
  /** The payment instruments the account holds; callers hold only their balance. */
  methods: PaymentMethod[]
  /** The credit card's expiry, `MM/YYYY`, returned as `expiry` from the CBUI. */
  cardExpiry: string
}

/** FPS's token types; a Recipient pipeline installs an `Unrestricted` recipient token. */
export type TokenType = 'SingleUse' | 'MultiUse' | 'Recurring' | 'Unrestricted'

/** A usage limit of a MultiUse token: an amount or a count within a rolling period. */
export interface UsageLimit {
  type: 'Amount' | 'Count'
  value: Cents
  /** The period in milliseconds; undefined means for the token's whole life. */
  periodMs?: number
}

/** An installed token: a sender's (or recipient's) standing authorization for one caller. */
export interface Token {
  id: string
  type: TokenType
  pipeline: string
  status: 'Active' | 'Inactive'
  callerAccountId: string
  ownerAccountId: string
  callerReference: string
  /** `Prepaid` and `Debt` tokens spend from a prepaid instrument or a credit line. */
  paymentMethod: TransactionMethod
  /** Funding (SetupPrepaid) and settlement (SetupPostpaid) tokens only pay into an instrument. */
  purpose?: 'funding' | 'settlement'
  /** The prepaid or credit instrument the token spends from or pays into. */
  instrumentId?: string
  dateInstalled: string
  paymentReason?: string
  /** SingleUse and Recurring: the amount; MultiUse: the per-charge amount `amountType` constrains. */
  amount?: Cents
  amountType?: 'Exact' | 'Maximum' | 'Minimum'
  globalAmountLimit?: Cents
  usageLimits: UsageLimit[]
  recurringPeriodMs?: number
  validityStart?: string
  validityExpiry?: string
  /** Recipient tokens: the marketplace fees the recipient accepted. */
  maxFixedFee?: Cents
  /** In basis points. */
  maxVariableFee?: number
  /** The CBUI parameters that installed it, so a resent pipeline request gets the same token. */
  fingerprint: string
  /** What the pipeline answered when it installed this token (set on the token its callerReference names). */
  installedReturn?: Record<string, string>
}

export type TransactionStatus = 'Pending' | 'Reserved' | 'Success' | 'Failure' | 'Cancelled'
export type Operation =
  | 'Pay'
  | 'Reserve'
  | 'Settle'
  | 'Refund'
  | 'FundPrepaid'
  | 'SettleDebt'
  | 'WriteOffDebt'

/** One step of a transaction's life, as GetTransaction's StatusHistory lists it. */
export interface StatusChange {
  date: string
  status: TransactionStatus
  statusCode: string
  amount: Cents
}

/** A Pay, Reserve, Settle or Refund and everything needed to answer about it later. */
export interface Transaction {
  id: string
  operation: Operation
  callerAccountId: string
  senderAccountId: string
  recipientAccountId: string
  callerReference: string
  callerDescription?: string
  senderDescription?: string
  amount: Cents
  /** The part of `amount` the marketplace caller keeps. */
  marketplaceFee: Cents
  paymentMethod: TransactionMethod
  /** The prepaid or credit instrument paid from (Prepaid, Debt) or into (FundPrepaid, SettleDebt, WriteOffDebt). */
  instrumentId?: string
  senderTokenId?: string
  recipientTokenId?: string
  parentId?: string
  children: string[]
  status: TransactionStatus
  statusCode: string
  statusMessage: string
  history: StatusChange[]
  dateReceived: string
  dateCompleted?: string
  /** Where this transaction's IPNs go (OverrideIPNURL or the caller's IPN URL). */
  ipnUrl?: string
  paymentReason?: string
  /** Pay and Settle: what refunds have taken, pending ones included. */
  refunded: Cents
  /** CC and ACH: when the sandbox completes it (epoch ms). */
  completesAt?: number
  /** A Reserved transaction: when the reservation lapses unless settled (epoch ms). */
  expiresAt?: number
}

/**
 * A prepaid balance (SetupPrepaid) or a postpaid credit line (SetupPostpaid) a buyer opened with a
 * caller; `limit` is the most it may hold (prepaid) or owe (credit).
 */
export interface Instrument {
  id: string
  kind: 'Prepaid' | 'Credit'
  callerAccountId: string
  ownerAccountId: string
  limit: Cents
  /** The tokens the pipeline installed with it, for answering a resent pipeline request. */
  tokenIds: string[]
}

/** A stored API answer, replayed for the same request within seven days. */
export interface IdempotencyRecord {
  fingerprint: string
  status: number
  body: string
  at: number
}

/** An IPN waiting to be delivered, persisted so a restart does not lose it. */
export interface OutboxEntry {
  id: string
  url: string
  params: Record<string, string>
  attempts: number
  nextAttemptAt: number
  lastError?: string
}

/** One movement of money between two books, in the order it happened. */
export interface Posting {
  at: string
  from: string
  to: string
  amount: Cents
  transactionId: string
}
