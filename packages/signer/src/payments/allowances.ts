import { parseFpsAmount } from '@fps-checkout/protocol'
import { SignerError } from '../errors.js'
import type { AllowanceView } from '../http/contract.js'
import { formatCents, toCents } from '../money.js'
import type { Allowance, CatalogAllowance } from '../policy/catalog.js'
import type { StoredAllowance } from '../store/allowances.js'
import type { NewOrder, Order } from '../store/types.js'
import { type PaymentsContext, timestamp } from './context.js'
import { charge, operationKey } from './operations/index.js'

/** FPS's refusals that mean the token will never charge again. */
const TOKEN_GONE = new Set(['TokenNotActive_Sender', 'InvalidTokenId_Sender', 'InvalidTokenId'])

/**
 * The MultiUse pipeline's parameters for an allowance: the limit in all, and at most an amount or
 * a count of charges per period.
 */
export function allowancePipeline(allowance: Allowance) {
  const limit = allowance.perPeriod
  return {
    globalAmountLimit: allowance.allowance,
    ...(limit
      ? {
          usageLimitType1: limit.amount === undefined ? ('Count' as const) : ('Amount' as const),
          usageLimitValue1: limit.amount ?? String(limit.count),
          usageLimitPeriod1: limit.every,
        }
      : {}),
  }
}

/**
 * Records that the checkout of `order` asks the buyer for an allowance, held by the browser that
 * started it: only that browser may spend it, not whoever replays the return.
 */
export async function requestAllowance(
  ctx: PaymentsContext,
  order: Order,
  found: CatalogAllowance,
  holderHash: string
): Promise<void> {
  await ctx.store.insertAllowance({
    callerReference: order.callerReference,
    allowance: found.id,
    holderHash,
    limitCents: toCents(found.allowance.allowance) ?? 0,
    currencyCode: order.currencyCode,
    createdAt: order.createdAt,
  })
}

/** Makes the allowance an authorized order asked for usable, with the token its return installed. */
export async function activateAllowance(ctx: PaymentsContext, order: Order): Promise<void> {
  if (!order.tokenId) return
  await ctx.store.activateAllowance(order.callerReference, order.tokenId, timestamp(ctx))
}

/**
 * Buys an item in one click with the holder's active allowance: an order charged with its token,
 * no payment pages. Undefined when the holder has none, or none that can pay: its limit would be
 * passed (it is then spent), or FPS refuses it (a token cancelled is revoked; a period's limit
 * reached leaves it for later), so the buyer authorizes a new one.
 */
export async function payWithAllowance(
  ctx: PaymentsContext,
  found: CatalogAllowance,
  holderHash: string,
  order: NewOrder
): Promise<Order | undefined> {
  const standing = await ctx.store.findActiveAllowance(holderHash, found.id)
  if (!standing?.tokenId) return undefined
  const spent = await ctx.store.spentWithToken(standing.tokenId)
  if (spent + order.amountCents > standing.limitCents) {
    await ctx.store.setAllowanceStatus(
      standing.callerReference,
      ['active'],
      'spent',
      timestamp(ctx)
    )
    return undefined
  }
  const ordered = await ctx.store.insertOrder({
    ...order,
    status: 'pending',
    tokenId: standing.tokenId,
  })
  if (!ordered) return undefined
  ctx.log.info('charged in one click', {
    callerReference: ordered.callerReference,
    allowance: standing.callerReference,
  })
  const charged = await charge(ctx, ordered)
  if (charged.status !== 'failure') return charged
  const refusal = await ctx.store.getOperation(operationKey.charge(charged.callerReference))
  if (refusal?.errorCode && TOKEN_GONE.has(refusal.errorCode)) {
    await ctx.store.setAllowanceStatus(
      standing.callerReference,
      ['active'],
      'revoked',
      timestamp(ctx)
    )
  }
  return undefined
}

/** The holder's allowances as the buyer sees them: what is left in all and, per period, at FPS. */
export async function listAllowances(
  ctx: PaymentsContext,
  holderHash: string
): Promise<AllowanceView[]> {
  const stored = await ctx.store.listAllowances(holderHash)
  return Promise.all(stored.map((allowance) => allowanceView(ctx, allowance)))
}

/** Revokes one of the holder's allowances: nothing more is charged, and its token is cancelled. */
export async function revokeAllowance(
  ctx: PaymentsContext,
  holderHash: string,
  callerReference: string
): Promise<AllowanceView> {
  const stored = await ctx.store.getAllowance(callerReference)
  if (!stored || stored.holderHash !== holderHash || stored.status === 'authorizing') {
    throw new SignerError('allowance_not_found', 'This browser holds no such allowance.')
  }
  const revoked = await ctx.store.setAllowanceStatus(
    callerReference,
    ['active', 'spent'],
    'revoked',
    timestamp(ctx)
  )
  if (revoked?.tokenId) {
    await ctx.fps
      .call('CancelToken', { TokenId: revoked.tokenId, ReasonText: 'Revoked by the buyer' })
      .catch((error: unknown) =>
        ctx.log.warn("a revoked allowance's token could not be cancelled at FPS", { error })
      )
  }
  return allowanceView(ctx, revoked ?? stored)
}

async function allowanceView(
  ctx: PaymentsContext,
  allowance: StoredAllowance
): Promise<AllowanceView> {
  const spent = allowance.tokenId ? await ctx.store.spentWithToken(allowance.tokenId) : 0
  const period = await leftThisPeriod(ctx, allowance)
  return {
    id: allowance.callerReference,
    allowance: allowance.allowance,
    status: allowance.status as AllowanceView['status'],
    limit: formatCents(allowance.limitCents),
    spent: formatCents(spent),
    remaining: formatCents(Math.max(0, allowance.limitCents - spent)),
    currencyCode: allowance.currencyCode,
    ...(period ? { leftThisPeriod: period } : {}),
    createdAt: allowance.createdAt,
  }
}

/** What FPS says is left of an active allowance's limit per period, if it has one. */
async function leftThisPeriod(
  ctx: PaymentsContext,
  allowance: StoredAllowance
): Promise<AllowanceView['leftThisPeriod']> {
  const limited = ctx.config.catalog?.items[allowance.allowance]
  if (!allowance.tokenId || allowance.status !== 'active' || !limited || !('perPeriod' in limited))
    return undefined
  try {
    const { TokenUsageLimits: [usage] = [] } = await ctx.fps.call('GetTokenUsage', {
      TokenId: allowance.tokenId,
    })
    const cents = usage?.Amount && parseFpsAmount(usage.Amount.Value)
    if (cents !== undefined) return { amount: formatCents(cents) }
    return usage?.Count === undefined ? undefined : { count: Number(usage.Count) }
  } catch (error) {
    ctx.log.warn('what is left of an allowance could not be asked of FPS', { error })
    return undefined
  }
}
