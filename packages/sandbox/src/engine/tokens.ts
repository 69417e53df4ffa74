import { formatCents } from '@fps-checkout/protocol'
import { FpsFault } from '../errors.js'
import type { Cents } from '../money.js'
import type { Token, Transaction, UsageLimit } from '../state/model.js'
import type { SandboxState } from '../state/store.js'

const UNIT_MS: Record<string, number> = {
  second: 1_000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 604_800_000,
  month: 30 * 86_400_000,
  year: 365 * 86_400_000,
}

/** `"6 Months"` → milliseconds; months count as 30 days, the sandbox's documented simplification. */
export function parsePeriod(period: string): number {
  const [count, unit] = period.trim().split(/\s+/)
  const ms = UNIT_MS[(unit ?? '').toLowerCase().replace(/s$/, '')]
  if (!ms || !/^[1-9]\d*$/.test(count ?? '')) {
    throw new FpsFault('InvalidParams', `"${period}" is not a period such as "1 Month".`)
  }
  return Number(count) * ms
}

/** The token's charges that still count against its limits (not failed, not cancelled). */
function charges(state: SandboxState, token: Token): Transaction[] {
  return [...state.transactions.values()].filter(
    (txn) =>
      txn.senderTokenId === token.id &&
      txn.operation !== 'Settle' &&
      txn.operation !== 'Refund' &&
      txn.status !== 'Failure' &&
      txn.status !== 'Cancelled'
  )
}

const sum = (txns: Transaction[]): Cents => txns.reduce((total, txn) => total + txn.amount, 0)

function within(txns: Transaction[], periodMs: number | undefined, now: Date): Transaction[] {
  if (periodMs === undefined) return txns
  const since = now.getTime() - periodMs
  return txns.filter((txn) => Date.parse(txn.dateReceived) > since)
}

/**
 * Whether a Recurring token was charged in the period `now` falls in. Periods follow one another
 * from the token's start (its validityStart, or when it was installed), so a charge made late in
 * its period does not push the next period back.
 */
function chargedThisPeriod(token: Token, used: Transaction[], now: Date): boolean {
  const periodMs = token.recurringPeriodMs ?? Number.POSITIVE_INFINITY
  const start = token.validityStart
    ? Number(token.validityStart) * 1000
    : Date.parse(token.dateInstalled)
  const periodOf = (time: number) => Math.floor((time - start) / periodMs)
  const current = periodOf(now.getTime())
  return used.some((txn) => periodOf(Date.parse(txn.dateReceived)) === current)
}

function usageError(message: string): FpsFault {
  return new FpsFault('TokenUsageError', message)
}

/** Finds a token the caller installed, or fails the way FPS did for the given role. */
export function callerToken(
  state: SandboxState,
  tokenId: string,
  callerAccountId: string,
  role: 'Sender' | 'Recipient'
): Token {
  const token = state.tokens.get(tokenId)
  const wantRecipient = role === 'Recipient'
  if (
    !token ||
    token.callerAccountId !== callerAccountId ||
    (token.type === 'Unrestricted') !== wantRecipient
  ) {
    throw new FpsFault(`InvalidTokenId_${role}`, `${role} token is not valid.`)
  }
  if (token.status !== 'Active') {
    throw new FpsFault(`TokenNotActive_${role}`, `${role} token ${tokenId} has been cancelled.`)
  }
  return token
}

/**
 * Checks that a sender token authorizes charging `amount` now: validity window, single use,
 * MultiUse amount type, global and periodic limits, and the Recurring period.
 */
export function authorizeCharge(state: SandboxState, token: Token, amount: Cents, now: Date): void {
  const nowSeconds = now.getTime() / 1000
  if (token.validityStart && Number(token.validityStart) > nowSeconds) {
    throw new FpsFault('TokenNotActive_Sender', `Sender token ${token.id} is not valid yet.`)
  }
  if (token.validityExpiry && Number(token.validityExpiry) < nowSeconds) {
    throw new FpsFault('TokenNotActive_Sender', `Sender token ${token.id} has expired.`)
  }
  const used = charges(state, token)
  const authorized = token.amount
  if (token.type === 'SingleUse') {
    if (used.length > 0) {
      throw new FpsFault(
        'SameTokenIdUsedMultipleTimes',
        `Single-use token ${token.id} was already used.`
      )
    }
    if (authorized !== undefined && amount > authorized) {
      throw usageError(
        `The amount ${formatCents(amount)} exceeds the ${formatCents(authorized)} the sender authorized.`
      )
    }
  }
  if (token.type === 'MultiUse' && authorized !== undefined)
    checkAmountType(token, amount, authorized)
  if (token.globalAmountLimit !== undefined && sum(used) + amount > token.globalAmountLimit) {
    throw usageError(
      `The charge would exceed the token's global limit of ${formatCents(token.globalAmountLimit)}.`
    )
  }
  for (const limit of token.usageLimits)
    checkUsageLimit(limit, within(used, limit.periodMs, now), amount)
  if (token.type === 'Recurring') {
    if (authorized !== undefined && amount > authorized) {
      throw usageError(
        `The amount ${formatCents(amount)} exceeds the recurring ${formatCents(authorized)}.`
      )
    }
    if (token.recurringPeriodMs !== undefined && chargedThisPeriod(token, used, now)) {
      throw usageError('The recurring token was already charged in this period.')
    }
  }
}

function checkAmountType(token: Token, amount: Cents, authorized: Cents): void {
  const ok =
    token.amountType === 'Maximum'
      ? amount <= authorized
      : token.amountType === 'Minimum'
        ? amount >= authorized
        : amount === authorized
  if (!ok) {
    throw usageError(
      `The amount ${formatCents(amount)} does not meet the token's ${token.amountType ?? 'Exact'} amount of ${formatCents(authorized)}.`
    )
  }
}

function checkUsageLimit(limit: UsageLimit, used: Transaction[], amount: Cents): void {
  if (limit.type === 'Count' && used.length + 1 > limit.value) {
    throw usageError(`The token's usage limit of ${limit.value} charges is reached.`)
  }
  if (limit.type === 'Amount' && sum(used) + amount > limit.value) {
    throw usageError(
      `The charge would exceed the token's usage limit of ${formatCents(limit.value)}.`
    )
  }
}

/** What a token has left under each usage limit, as GetTokenUsage reports it. */
export function remainingUsage(
  state: SandboxState,
  token: Token,
  now: Date
): { limit: UsageLimit; remaining: Cents; since?: string }[] {
  const used = charges(state, token)
  return token.usageLimits.map((limit) => {
    const inPeriod = within(used, limit.periodMs, now)
    const taken = limit.type === 'Count' ? inPeriod.length : sum(inPeriod)
    const since =
      limit.periodMs === undefined
        ? undefined
        : new Date(now.getTime() - limit.periodMs).toISOString()
    return { limit, remaining: Math.max(0, limit.value - taken), ...(since ? { since } : {}) }
  })
}
