import { SandboxError } from '../errors.js'
import type { Cents } from '../money.js'
import type { Posting } from './model.js'

/** The outside world: card networks and banks. It may go below zero, as may credit lines. */
export const WORLD = 'world'
/** An account's Amazon Payments balance. */
export const balanceBook = (accountId: string): string => `balance:${accountId}`
/** A prepaid instrument's balance. */
export const prepaidBook = (instrumentId: string): string => `prepaid:${instrumentId}`
/** A postpaid credit line: below zero by what the buyer owes; its limit is enforced by the engine. */
export const creditBook = (instrumentId: string): string => `credit:${instrumentId}`
/** Whether a book may go below zero: the world's, and credit lines (debt). */
export const mayOverdraw = (book: string): boolean => book === WORLD || book.startsWith('credit:')
/** Money held by a Pending or Reserved transaction until it completes, fails or is cancelled. */
export const holdBook = (transactionId: string): string => `hold:${transactionId}`

/**
 * Double-entry books: money only ever moves from one book to another, so the sum of all books is
 * always zero and "money neither created nor lost" is a checkable invariant.
 */
export class Ledger {
  readonly books = new Map<string, Cents>()
  readonly postings: Posting[] = []

  constructor(postings: readonly Posting[] = []) {
    for (const posting of postings) this.apply(posting)
  }

  balance(book: string): Cents {
    return this.books.get(book) ?? 0
  }

  /** Moves money; refuses to overdraw a book that may not go negative, which would be a sandbox bug. */
  move(from: string, to: string, amount: Cents, transactionId: string, at: string): void {
    if (amount === 0) return
    if (!Number.isSafeInteger(amount) || amount < 0) {
      throw new SandboxError('ledger_invalid_amount', `Cannot move ${amount} cents.`, 500)
    }
    if (!mayOverdraw(from) && this.balance(from) < amount) {
      throw new SandboxError('ledger_overdraft', `Book ${from} cannot give ${amount} cents.`, 500)
    }
    this.apply({ at, from, to, amount, transactionId })
  }

  /** The sum of every book; zero unless money was created or lost. */
  total(): Cents {
    let sum = 0
    for (const amount of this.books.values()) sum += amount
    return sum
  }

  private apply(posting: Posting): void {
    this.postings.push(posting)
    this.add(posting.from, -posting.amount)
    this.add(posting.to, posting.amount)
  }

  private add(book: string, amount: Cents): void {
    const next = this.balance(book) + amount
    if (next === 0) this.books.delete(book)
    else this.books.set(book, next)
  }
}
