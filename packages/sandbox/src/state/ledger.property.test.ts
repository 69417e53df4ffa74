import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { completeTransaction } from '../engine/completion.js'
import type { ActionContext } from '../engine/context.js'
import { payIntoInstrument, writeOffDebt } from '../engine/instrument-payments.js'
import { charge } from '../engine/payments.js'
import { refund } from '../engine/refund.js'
import { cancel, settle } from '../engine/settle.js'
import { FpsFault } from '../errors.js'
import { callerAccount, TEST_BUYERS } from './accounts.js'
import { creditBook, holdBook, mayOverdraw, prepaidBook } from './ledger.js'
import type { PaymentMethod, Token, Transaction, TransactionMethod } from './model.js'
import { SandboxState } from './store.js'

const CALLER = callerAccount('Shop')
const BUYERS = ['buyer-alice', 'buyer-dave', 'buyer-bob']

function freshState(): SandboxState {
  const state = new SandboxState()
  const at = new Date().toISOString()
  for (const { openingBalance, purpose: _purpose, ...account } of TEST_BUYERS)
    state.ensureAccount(account, openingBalance, at)
  state.ensureAccount(CALLER, 0, at)
  state.tokens.set(
    'RECIPIENT',
    token('RECIPIENT', 'buyer-erin', 'ABT', {
      type: 'Unrestricted',
      maxFixedFee: 50,
      maxVariableFee: 1000,
    })
  )
  for (const [kind, id, limit] of [
    ['Prepaid', 'PREPAID', 50_000],
    ['Credit', 'CREDIT', 30_000],
  ] as const) {
    state.instruments.set(id, {
      id,
      kind,
      callerAccountId: CALLER.id,
      ownerAccountId: 'buyer-alice',
      limit,
      tokenIds: [],
    })
    const spending = kind === 'Prepaid' ? 'Prepaid' : 'Debt'
    state.tokens.set(
      `${id}-SPEND`,
      token(`${id}-SPEND`, 'buyer-alice', spending, { type: 'MultiUse', instrumentId: id })
    )
    const purpose = kind === 'Prepaid' ? 'funding' : 'settlement'
    state.tokens.set(
      `${id}-IN`,
      token(`${id}-IN`, 'buyer-alice', 'ABT', { type: 'MultiUse', instrumentId: id, purpose })
    )
  }
  return state
}

function token(
  id: string,
  owner: string,
  method: TransactionMethod,
  extra: Partial<Token> = {}
): Token {
  return {
    id,
    type: 'SingleUse',
    pipeline: 'SingleUse',
    status: 'Active',
    callerAccountId: CALLER.id,
    ownerAccountId: owner,
    callerReference: id,
    paymentMethod: method,
    dateInstalled: new Date().toISOString(),
    usageLimits: [],
    fingerprint: id,
    ...extra,
  }
}

const method = fc.constantFrom<PaymentMethod>('ABT', 'ACH', 'CC')
const command = fc.oneof(
  fc.record({
    kind: fc.constantFrom('Pay' as const, 'Reserve' as const),
    buyer: fc.nat(2),
    method,
    cents: fc.integer({ min: 1, max: 80_000 }),
    marketplace: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('Settle' as const),
    pick: fc.nat(),
    percent: fc.integer({ min: 1, max: 110 }),
  }),
  fc.record({
    kind: fc.constant('Refund' as const),
    pick: fc.nat(),
    cents: fc.option(fc.integer({ min: 1, max: 80_000 }), { nil: undefined }),
  }),
  fc.record({ kind: fc.constant('Cancel' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('Complete' as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constantFrom('PREPAID' as const, 'CREDIT' as const),
    spend: fc.boolean(),
    cents: fc.integer({ min: 1, max: 40_000 }),
  }),
  fc.record({ kind: fc.constant('WriteOff' as const), cents: fc.integer({ min: 1, max: 40_000 }) })
)
type Command = typeof command extends fc.Arbitrary<infer C> ? C : never

const pickFrom = <T>(items: T[], pick: number): T | undefined =>
  items[pick % Math.max(1, items.length)]

function run(state: SandboxState, ctx: ActionContext, step: Command, n: number): void {
  const txns = [...state.transactions.values()]
  switch (step.kind) {
    case 'Pay':
    case 'Reserve': {
      const owner = BUYERS[step.buyer] ?? 'buyer-alice'
      state.tokens.set(`T${n}`, token(`T${n}`, owner, step.method, { amount: step.cents }))
      charge(ctx, {
        operation: step.kind,
        senderTokenId: `T${n}`,
        amount: step.cents,
        callerReference: `C${n}`,
        ...(step.marketplace && {
          recipientTokenId: 'RECIPIENT',
          marketplaceFixedFee: Math.min(50, step.cents - 1),
          marketplaceVariableFee: 250,
        }),
      })
      return
    }
    case 'Settle': {
      const reserve = pickFrom(
        txns.filter((txn) => txn.operation === 'Reserve'),
        step.pick
      )
      if (reserve)
        settle(ctx, {
          reserveTransactionId: reserve.id,
          amount: Math.max(1, Math.floor((reserve.amount * step.percent) / 100)),
        })
      return
    }
    case 'Refund': {
      const original = pickFrom(
        txns.filter((txn) => txn.operation === 'Pay' || txn.operation === 'Settle'),
        step.pick
      )
      if (original)
        refund(ctx, {
          transactionId: original.id,
          callerReference: `R${n}`,
          ...(step.cents !== undefined && { amount: step.cents }),
        })
      return
    }
    case 'Cancel': {
      const target = pickFrom(txns, step.pick)
      if (target) cancel(ctx, target.id)
      return
    }
    case 'Complete': {
      const pending = pickFrom(
        txns.filter((txn) => txn.status === 'Pending'),
        step.pick
      )
      if (pending) completeTransaction(ctx, pending)
      return
    }
    case 'PREPAID':
    case 'CREDIT': {
      if (step.spend) {
        charge(ctx, {
          operation: 'Pay',
          senderTokenId: `${step.kind}-SPEND`,
          amount: step.cents,
          callerReference: `C${n}`,
        })
        return
      }
      const operation = step.kind === 'PREPAID' ? 'FundPrepaid' : 'SettleDebt'
      const payment = {
        senderTokenId: `${step.kind}-IN`,
        instrumentId: step.kind,
        amount: step.cents,
        callerReference: `C${n}`,
      }
      payIntoInstrument(ctx, operation, payment)
      return
    }
    case 'WriteOff':
      writeOffDebt(ctx, { instrumentId: 'CREDIT', amount: step.cents, callerReference: `C${n}` })
  }
}

/** What an account's balance must be, computed from the transactions alone, not from the ledger. */
function expectedBalance(state: SandboxState, accountId: string): number {
  const opening = TEST_BUYERS.find((buyer) => buyer.id === accountId)?.openingBalance ?? 0
  let balance = opening
  for (const txn of state.transactions.values()) balance += effect(txn, accountId)
  return balance
}

function effect(txn: Transaction, accountId: string): number {
  const live = txn.status === 'Pending' || txn.status === 'Success' || txn.status === 'Reserved'
  const abt = txn.paymentMethod === 'ABT'
  if (txn.operation === 'Refund') {
    let delta = 0
    if (live && txn.senderAccountId === accountId) delta -= txn.amount
    if (txn.status === 'Success' && abt && txn.recipientAccountId === accountId) delta += txn.amount
    return delta
  }
  let delta = 0
  const holdsSenderMoney =
    txn.operation === 'Reserve' ? txn.status === 'Pending' || txn.status === 'Reserved' : live
  if (abt && holdsSenderMoney && txn.senderAccountId === accountId) delta -= txn.amount
  if ((txn.operation === 'Pay' || txn.operation === 'Settle') && txn.status === 'Success') {
    if (txn.recipientAccountId === accountId) delta += txn.amount - txn.marketplaceFee
    if (txn.callerAccountId === accountId) delta += txn.marketplaceFee
  }
  return delta
}

describe('the ledger', () => {
  it('neither creates nor loses money over any sequence of actions', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 40 }), (steps) => {
        const state = freshState()
        const ctx: ActionContext = {
          state,
          callerAccountId: CALLER.id,
          now: new Date(),
          version: '2010-08-28',
          ipnUrl: undefined,
          settlementDelayMs: 1_000,
          reserveExpiryMs: 60_000,
          onTransaction: () => {},
          onTokenCancelled: () => {},
          verifyOutbound: () => false,
        }
        steps.forEach((step, n) => {
          try {
            run(state, ctx, step, n)
          } catch (error) {
            if (!(error instanceof FpsFault) || error.status >= 500) throw error
          }
          expect(state.ledger.total()).toBe(0)
          for (const [book, amount] of state.ledger.books)
            if (!mayOverdraw(book)) expect(amount).toBeGreaterThan(0)
          expect(-state.ledger.balance(creditBook('CREDIT'))).toBeLessThanOrEqual(30_000)
          expect(state.ledger.balance(prepaidBook('PREPAID'))).toBeLessThanOrEqual(50_000)
          for (const txn of state.transactions.values()) {
            const open = txn.status === 'Pending' || txn.status === 'Reserved'
            expect(state.ledger.balance(holdBook(txn.id))).toBe(open ? txn.amount : 0)
            if (txn.operation === 'Pay' || txn.operation === 'Settle') {
              const refunds = txn.children.map((id) => state.transactions.get(id))
              const refunded = refunds.reduce(
                (sum, child) =>
                  sum +
                  (child && child.status !== 'Failure' && child.status !== 'Cancelled'
                    ? child.amount
                    : 0),
                0
              )
              expect(txn.refunded).toBe(refunded)
              expect(refunded).toBeLessThanOrEqual(txn.amount - txn.marketplaceFee)
            }
          }
          for (const account of state.accounts.values())
            expect(state.balance(account.id)).toBe(expectedBalance(state, account.id))
        })
      }),
      { numRuns: 300 }
    )
  })
})
