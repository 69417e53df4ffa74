import { SignerError } from '../errors.js'
import { timeOrderedId } from '../ids.js'
import { formatCents } from '../money.js'
import { DAY_MS } from '../policy/plans.js'
import type { RefundDecider, RefundRequest } from '../store/refund-requests.js'
import type { Order } from '../store/types.js'
import { StoreUnavailableError } from '../store/unavailable.js'
import { refundOrder } from './admin.js'
import { type PaymentsContext, timestamp } from './context.js'
import { requestRefundReference } from './operations/index.js'

/**
 * A buyer asks for the rest of a paid order's payment back: the request is stored, one per order,
 * for the merchant to approve or decline. Within the refund window (`refundWindowDays` after the
 * payment) it is approved at once; should that refund fail, the request stays open for the
 * merchant, the buyer having asked all the same.
 */
export async function requestRefund(
  ctx: PaymentsContext,
  order: Order,
  reason: string | undefined
): Promise<RefundRequest> {
  const remaining = order.amountCents - order.refundedCents
  if ((order.status !== 'success' && order.status !== 'refunded') || remaining === 0) {
    throw new SignerError(
      'invalid_order_state',
      remaining === 0
        ? 'This order is refunded in full already.'
        : `An order that is ${order.status} cannot be refunded.`
    )
  }
  const request = await ctx.store.insertRefundRequest({
    id: timeOrderedId('rfr_'),
    callerReference: order.callerReference,
    amountCents: remaining,
    currencyCode: order.currencyCode,
    reason,
    createdAt: timestamp(ctx),
  })
  if (!request) {
    const earlier = await ctx.store.getRefundRequestOfOrder(order.callerReference)
    throw new SignerError(
      'refund_already_requested',
      `A refund of this order was asked for already (it is ${earlier?.status ?? 'open'}); an order takes one request.`
    )
  }
  if (!(await withinWindow(ctx, order))) return request
  try {
    return await approveRefundRequest(ctx, request, 'policy')
  } catch (error) {
    ctx.log.warn('the refund window could not approve a refund request', {
      refundRequest: request.id,
      error,
    })
    return (await ctx.store.getRefundRequest(request.id)) ?? request
  }
}

/**
 * Approves an open request and refunds its amount through the operations module, exactly once:
 * the approval is taken by a conditional update first, so of two approvals one refunds and the
 * other answers the request as approved. A refund refused before or by FPS reopens the request;
 * one still in flight (FPS has not answered) leaves it approved, the refund being sent until FPS
 * answers.
 */
export async function approveRefundRequest(
  ctx: PaymentsContext,
  request: RefundRequest,
  by: RefundDecider
): Promise<RefundRequest> {
  const approved = await ctx.store.decideRefundRequest(request.id, 'open', {
    status: 'approved',
    by,
    at: timestamp(ctx),
  })
  if (!approved) return decidedAlready(ctx, request, 'approved')
  await refundApproved(ctx, approved)
  return approved
}

/**
 * Refunds an approved request's amount once, under the request's own refund reference, so the
 * sweep can find an approval whose refund a crash kept from being stored. A refund refused
 * before or by FPS reopens the request.
 */
export async function refundApproved(ctx: PaymentsContext, approved: RefundRequest): Promise<void> {
  const order = await ctx.store.getOrder(approved.callerReference)
  if (!order) throw new Error(`Order ${approved.callerReference} is not stored.`)
  try {
    const amount = formatCents(approved.amountCents)
    await refundOrder(ctx, order, amount, requestRefundReference(approved))
  } catch (error) {
    if (nothingRefunded(error)) {
      await ctx.store.decideRefundRequest(approved.id, 'approved', { status: 'open' })
    }
    throw error
  }
}

/** Declines an open request, with the merchant's words for the buyer; nothing is refunded. */
export async function declineRefundRequest(
  ctx: PaymentsContext,
  request: RefundRequest,
  note: string | undefined
): Promise<RefundRequest> {
  const declined = await ctx.store.decideRefundRequest(request.id, 'open', {
    status: 'declined',
    by: 'merchant',
    note,
    at: timestamp(ctx),
  })
  return declined ?? decidedAlready(ctx, request, 'declined')
}

/** The same decision again answers the request as it stands; the other one is refused. */
async function decidedAlready(
  ctx: PaymentsContext,
  request: RefundRequest,
  decision: 'approved' | 'declined'
): Promise<RefundRequest> {
  const current = (await ctx.store.getRefundRequest(request.id)) ?? request
  if (current.status === decision) return current
  throw new SignerError(
    'refund_request_decided',
    `The refund request is ${current.status}; it cannot be ${decision} now.`
  )
}

/**
 * Whether a refund failed with nothing refunded nor on its way: the signer's own refusal (state,
 * amount) or FPS's verdict. Not a refund still in flight, nor a store or network failure, after
 * which a stored refund may yet be sent.
 */
function nothingRefunded(error: unknown): boolean {
  return (
    error instanceof SignerError &&
    !(error instanceof StoreUnavailableError) &&
    error.retriable !== true
  )
}

/** Whether the order was paid within the refund window, if there is one. */
async function withinWindow(ctx: PaymentsContext, order: Order): Promise<boolean> {
  const days = ctx.config.refundWindowDays
  if (days === undefined) return false
  const history = await ctx.store.history(order.callerReference)
  const paid = history.find((entry) => entry.status === 'success')
  return paid !== undefined && ctx.now().getTime() - Date.parse(paid.at) <= days * DAY_MS
}
