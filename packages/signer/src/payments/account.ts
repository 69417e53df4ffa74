import { type ActivityTransaction, type Amount, parseFpsAmount } from '@fps-checkout/protocol'
import { z } from 'zod'
import { SignerError } from '../errors.js'
import type { AccountView, ActivityEntry, ActivityPage } from '../http/contract.js'
import { formatCents } from '../money.js'
import type { PaymentsContext } from './context.js'

/** A stretch of the merchant's account activity: ISO 8601 times, both ends included. */
export interface ActivityRange {
  from: string
  /** Up to now when left out. */
  to?: string | undefined
  /** Only the transactions in which the account plays this part (`Caller`: the ones it made). */
  role?: 'Sender' | 'Caller' | 'Recipient' | undefined
}

/** One page of a range: at most `limit` transactions, after the page `cursor` names. */
export interface ActivityQuery extends ActivityRange {
  limit: number
  cursor?: string | undefined
}

/**
 * A time as a range takes it, read as an ISO 8601 instant: a date (`2026-01-31`, its midnight UTC)
 * or a date-time with its offset.
 */
export const rangeTime = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })])
  .transform((value) => new Date(value).toISOString())

/** Where the next page starts: FPS's time of its first transaction, and how many at that time were shown. */
const cursorSchema = z.tuple([z.iso.datetime(), z.number().int().min(0)])

/** The merchant's balance at FPS (`GetAccountBalance`), under the signer's own key. */
export async function accountBalance(ctx: PaymentsContext): Promise<AccountView> {
  const { AccountBalance: balance } = await ctx.fps.call('GetAccountBalance', {})
  if (!balance) throw malformed('GetAccountBalance answered no AccountBalance.')
  return {
    currencyCode: balance.TotalBalance.CurrencyCode,
    total: money(balance.TotalBalance),
    pendingIn: money(balance.PendingInBalance),
    pendingOut: money(balance.PendingOutBalance),
    disburse: money(balance.AvailableBalances.DisburseBalance),
    refund: money(balance.AvailableBalances.RefundBalance),
  }
}

/**
 * One page of the account's transactions (`GetAccountActivity`), oldest first. FPS pages by time
 * alone (the next page starts at the time of the first transaction left out), so the cursor also
 * counts the transactions at that very time already shown, which the next page skips: none is
 * shown twice or left out, however many share a second.
 */
export async function accountActivity(
  ctx: PaymentsContext,
  query: ActivityQuery
): Promise<ActivityPage> {
  const [start, skip] = query.cursor === undefined ? [query.from, 0] : readCursor(query.cursor)
  const answer = await ctx.fps.call('GetAccountActivity', {
    StartDate: start,
    ...(query.to === undefined ? {} : { EndDate: query.to }),
    ...(query.role === undefined ? {} : { Role: [query.role] }),
    MaxBatchSize: String(query.limit + skip),
    SortOrderByDate: 'Ascending',
  })
  const batch = answer.Transaction ?? []
  const next = answer.StartTimeForNextTransaction
  const page: ActivityPage = { transactions: batch.slice(skip).map(activityEntry) }
  if (next !== undefined) {
    const at = Date.parse(next)
    if (Number.isNaN(at)) throw malformed(`StartTimeForNextTransaction ${next} is not a time.`)
    const shownAtNext = batch.filter((txn) => Date.parse(txn.DateReceived) === at).length
    page.next = Buffer.from(JSON.stringify([new Date(at).toISOString(), shownAtNext])).toString(
      'base64url'
    )
  }
  return page
}

/** Every transaction of a range, page after page, from a reader of pages (`accountActivity`). */
export async function* everyActivity(
  page: (query: ActivityQuery) => Promise<ActivityPage>,
  range: ActivityRange
): AsyncGenerator<ActivityEntry> {
  let cursor: string | undefined
  do {
    const answer = await page({ ...range, limit: 100, cursor })
    yield* answer.transactions
    cursor = answer.next
  } while (cursor !== undefined)
}

function activityEntry(txn: ActivityTransaction): ActivityEntry {
  const callerReference = reference(txn.TransactionPart)
  const completedAt = text(txn.DateCompleted)
  const original = text(txn.OriginalTransactionId)
  return {
    transactionId: txn.TransactionId,
    operation: txn.FPSOperation,
    status: txn.TransactionStatus,
    amount: money(txn.TransactionAmount),
    currencyCode: txn.TransactionAmount.CurrencyCode,
    receivedAt: txn.DateReceived,
    ...(completedAt === undefined ? {} : { completedAt }),
    ...(callerReference === undefined ? {} : { callerReference }),
    ...(original === undefined ? {} : { originalTransactionId: original }),
  }
}

/** The Reference of the transaction's Caller part: the CallerReference the caller sent. */
function reference(parts: unknown): string | undefined {
  const list = Array.isArray(parts) ? (parts as Record<string, unknown>[]) : []
  const caller = list.find((part) => part.Role === 'Caller') ?? list[0]
  return text(caller?.Reference)
}

function readCursor(cursor: string): [string, number] {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')))
  } catch {
    throw new SignerError('invalid_request', 'cursor is not a `next` this signer answered.')
  }
}

/** An FPS amount (`1.500000`) in the plain form (`1.50`). */
function money(amount: Amount | undefined): string {
  const cents = amount === undefined ? undefined : parseFpsAmount(amount.Value)
  if (cents === undefined) throw malformed(`${amount?.Value ?? 'No amount'} is not an amount.`)
  return formatCents(cents)
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

function malformed(problem: string): SignerError {
  return new SignerError('upstream_error', `FPS answered something unusable: ${problem}`, {
    retriable: false,
  })
}
