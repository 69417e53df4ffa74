import { createHash } from 'node:crypto'
import { buildCbuiUrl } from '@fps-checkout/protocol'
import { SignerError } from '../errors.js'
import type { CheckoutRequest, CheckoutResponse } from '../http/contract.js'
import { orderAccessToken } from '../http/tokens.js'
import { timeOrderedId } from '../ids.js'
import { formatCents } from '../money.js'
import { allowanceOf, planOf } from '../policy/catalog.js'
import { checkLogo } from '../policy/logo.js'
import { priceOrder } from '../policy/price.js'
import type { NewOrder, Order } from '../store/types.js'
import { payWithAllowance, requestAllowance } from './allowances.js'
import { type PaymentsContext, timestamp } from './context.js'
import { pipelineFor } from './pipelines.js'

/** The browser's holder secret, for items sold from an allowance: its hash, minted on first use. */
export interface Holder {
  hash(): string
}

/**
 * Prices the request, creates the order and signs its CBUI request (see {@link pipelineFor}), or,
 * for an item sold from an allowance the browser holds, charges it at once. The return URL comes
 * from configuration only; the amount is the policy's. A repeated Idempotency-Key with the same
 * body answers the same order and URL; with another body it is a conflict.
 */
export async function startCheckout(
  ctx: PaymentsContext,
  request: CheckoutRequest,
  idempotencyKey: string | undefined,
  holder?: Holder
): Promise<CheckoutResponse> {
  const requestHash = idempotencyKey === undefined ? undefined : digest(request)
  let key = idempotencyKey
  if (key !== undefined) {
    const earlier = await ctx.store.getOrderByIdempotencyKey(key)
    if (earlier && !declinedInOneClick(ctx, earlier)) return replay(ctx, earlier, requestHash)
    // a one-click charge FPS declined: the buyer authorizes anew, under no key
    if (earlier) key = undefined
  }
  const cents = priceOrder(request, ctx.config.catalog)
  const logo =
    request.logo === undefined ? undefined : checkLogo(request.logo, ctx.config.logoHosts)
  const callerReference = timeOrderedId('ord_')
  const amount = formatCents(cents)
  const createdAt = timestamp(ctx)
  const allowance = allowanceOf(ctx.config.catalog, request.item)
  const order = {
    callerReference,
    status: 'created' as const,
    amount,
    amountCents: cents,
    currencyCode: request.currencyCode,
    reason: request.reason,
    item: request.item,
    logo,
    // a plan's periods and an allowance's items are paid: their tokens are charged, never reserved
    capture: planOf(ctx.config.catalog, request.item) || allowance ? 'pay' : ctx.config.capture,
    requestHash,
    createdAt,
    expiresAt: timestamp(ctx, ctx.config.checkoutTtlMs),
  } satisfies Partial<NewOrder>
  if (allowance && holder) {
    // its own reference: if FPS declines it, the authorization below is another order
    const oneClick = timeOrderedId('ord_')
    const paid = await payWithAllowance(ctx, allowance, holder.hash(), {
      ...order,
      callerReference: oneClick,
      idempotencyKey: key,
      checkoutUrl: oneClickUrl(ctx, oneClick),
    })
    if (paid) return answer(ctx, paid)
    const taken = key === undefined ? undefined : await ctx.store.getOrderByIdempotencyKey(key)
    // a double click's other request charged it; or FPS declined this one, and the buyer authorizes
    if (taken && !declinedInOneClick(ctx, taken)) return replay(ctx, taken, requestHash)
    if (taken) key = undefined
  }
  const [signing] = ctx.config.keys
  const pipeline = pipelineFor(ctx, request, { callerReference, amount, logo, createdAt })
  const checkoutUrl = buildCbuiUrl({ endpoint: ctx.config.cbuiUrl, ...signing, request: pipeline })
  const inserted = await ctx.store.insertOrder({ ...order, idempotencyKey: key, checkoutUrl })
  if (inserted) {
    if (allowance && holder) await requestAllowance(ctx, inserted, allowance, holder.hash())
    ctx.log.info('checkout started', { callerReference, amount, item: request.item })
    return answer(ctx, inserted)
  }
  const winner = key && (await ctx.store.getOrderByIdempotencyKey(key))
  if (!winner) throw new Error('The order was neither inserted nor found by its idempotency key.')
  return replay(ctx, winner, requestHash)
}

/**
 * Where a one-click purchase sends the buyer: straight to the return page, which looks the order
 * up (with the token the button keeps) instead of verifying a return.
 */
function oneClickUrl(ctx: PaymentsContext, callerReference: string): string {
  return `${ctx.config.returnUrl}?callerReference=${encodeURIComponent(callerReference)}`
}

/** An order charged in one click that FPS declined: its key starts a new authorization. */
function declinedInOneClick(ctx: PaymentsContext, order: Order): boolean {
  return order.status === 'failure' && order.checkoutUrl === oneClickUrl(ctx, order.callerReference)
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
