import { createHash } from 'node:crypto'
import { buildCbuiUrl, type CbuiRequest } from '@fps-checkout/protocol'
import { SignerError } from '../errors.js'
import type { CheckoutRequest, CheckoutResponse } from '../http/contract.js'
import { orderAccessToken } from '../http/tokens.js'
import { timeOrderedId } from '../ids.js'
import { formatCents } from '../money.js'
import { type Plan, planOf } from '../policy/catalog.js'
import { checkLogo } from '../policy/logo.js'
import { periodMs } from '../policy/plans.js'
import { priceOrder } from '../policy/price.js'
import type { Order } from '../store/types.js'
import { type PaymentsContext, timestamp } from './context.js'

/**
 * Prices the request, creates the order and signs its CBUI request: SingleUse for a purchase,
 * Recurring for a catalog plan. The return URL comes from configuration only; the amount is the
 * policy's. A repeated Idempotency-Key with the same body answers the same order and URL; with
 * another body it is a conflict.
 */
export async function startCheckout(
  ctx: PaymentsContext,
  request: CheckoutRequest,
  idempotencyKey: string | undefined
): Promise<CheckoutResponse> {
  const requestHash = idempotencyKey === undefined ? undefined : digest(request)
  if (idempotencyKey !== undefined) {
    const earlier = await ctx.store.getOrderByIdempotencyKey(idempotencyKey)
    if (earlier) return replay(ctx, earlier, requestHash)
  }
  const cents = priceOrder(request, ctx.config.catalog)
  const logo =
    request.logo === undefined ? undefined : checkLogo(request.logo, ctx.config.logoHosts)
  const callerReference = timeOrderedId('ord_')
  const amount = formatCents(cents)
  const [key] = ctx.config.keys
  const plan = planOf(ctx.config.catalog, request.item)
  const shared = {
    callerReference,
    returnURL: ctx.config.returnUrl,
    transactionAmount: amount,
    currencyCode: request.currencyCode,
    paymentReason: request.reason,
    ...(logo ? { cobrandingUrl: logo, cobrandingStyle: 'logo' as const } : {}),
    ...(ctx.config.websiteDescription ? { websiteDescription: ctx.config.websiteDescription } : {}),
    ...(ctx.config.paymentMethods ? { paymentMethod: ctx.config.paymentMethods } : {}),
  }
  const pipeline: CbuiRequest = plan
    ? { pipelineName: 'Recurring', ...shared, recurringPeriod: plan.every, ...validity(ctx, plan) }
    : {
        pipelineName: 'SingleUse',
        ...shared,
        ...(ctx.config.capture === 'reserve' ? { reserve: true } : {}),
      }
  const checkoutUrl = buildCbuiUrl({ endpoint: ctx.config.cbuiUrl, ...key, request: pipeline })
  const createdAt = timestamp(ctx)
  const order = await ctx.store.insertOrder({
    callerReference,
    status: 'created',
    amount,
    amountCents: cents,
    currencyCode: request.currencyCode,
    reason: request.reason,
    item: request.item,
    logo,
    // a plan's periods are paid: a Recurring token is charged, never reserved
    capture: plan ? 'pay' : ctx.config.capture,
    checkoutUrl,
    idempotencyKey,
    requestHash,
    createdAt,
    expiresAt: timestamp(ctx, ctx.config.checkoutTtlMs),
  })
  if (order) {
    ctx.log.info('checkout started', { callerReference, amount, item: request.item })
    return answer(ctx, order)
  }
  const winner = idempotencyKey && (await ctx.store.getOrderByIdempotencyKey(idempotencyKey))
  if (!winner) throw new Error('The order was neither inserted nor found by its idempotency key.')
  return replay(ctx, winner, requestHash)
}

/** A plan with a `validity`: its token expires that long after the sign-up, and so do its charges. */
function validity(ctx: PaymentsContext, plan: Plan): { validityExpiry?: number } {
  if (!plan.validity) return {}
  return { validityExpiry: Math.floor((ctx.now().getTime() + periodMs(plan.validity)) / 1000) }
}

/** A digest of the checkout body, to tell a replayed Idempotency-Key from a reused one. */
function digest(request: CheckoutRequest): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        request.amount,
        request.currencyCode,
        request.reason,
        request.logo ?? null,
        request.item ?? null,
      ])
    )
    .digest('hex')
}

function replay(
  ctx: PaymentsContext,
  order: Order,
  requestHash: string | undefined
): CheckoutResponse {
  if (order.requestHash !== requestHash) {
    throw new SignerError(
      'idempotency_conflict',
      'This Idempotency-Key was used for a different checkout; use a new key for a new purchase.'
    )
  }
  return answer(ctx, order)
}

/**
 * The checkout's answer. Its access token lets the buyer cancel the order before paying; it is
 * the one the return answers later (an HMAC of the callerReference), so nothing is stored for it.
 */
function answer(ctx: PaymentsContext, order: Order): CheckoutResponse {
  return {
    url: order.checkoutUrl,
    callerReference: order.callerReference,
    expiresAt: order.expiresAt,
    accessToken: orderAccessToken(ctx.config.keys[0].secretKey, order.callerReference),
  }
}
