import type { CbuiRequest } from '@fps-checkout/protocol'
import type { CheckoutRequest } from '../http/contract.js'
import { allowanceOf, planOf } from '../policy/catalog.js'
import { periodMs } from '../policy/plans.js'
import { allowancePipeline } from './allowances.js'
import type { PaymentsContext } from './context.js'

/**
 * The CBUI pipeline that authorizes what the buyer asks for: Recurring for a catalog plan,
 * MultiUse for an item sold from an allowance (the buyer authorizes the whole allowance once),
 * SingleUse (reserved, in capture mode `reserve`) for anything else.
 */
export function pipelineFor(
  ctx: PaymentsContext,
  request: CheckoutRequest,
  order: { callerReference: string; amount: string; logo: string | undefined }
): CbuiRequest {
  const shared = {
    callerReference: order.callerReference,
    returnURL: ctx.config.returnUrl,
    currencyCode: request.currencyCode,
    paymentReason: request.reason,
    ...(order.logo ? { cobrandingUrl: order.logo, cobrandingStyle: 'logo' as const } : {}),
    ...(ctx.config.websiteDescription ? { websiteDescription: ctx.config.websiteDescription } : {}),
    ...(ctx.config.paymentMethods ? { paymentMethod: ctx.config.paymentMethods } : {}),
  }
  const plan = planOf(ctx.config.catalog, request.item)
  if (plan) {
    // with a validity, the token expires that long after the sign-up, and so do its charges
    const ends = plan.validity && ctx.now().getTime() + periodMs(plan.validity)
    return {
      pipelineName: 'Recurring',
      ...shared,
      transactionAmount: order.amount,
      recurringPeriod: plan.every,
      ...(ends ? { validityExpiry: Math.floor(ends / 1000) } : {}),
    }
  }
  const allowance = allowanceOf(ctx.config.catalog, request.item)
  if (allowance) {
    return { pipelineName: 'MultiUse', ...shared, ...allowancePipeline(allowance.allowance) }
  }
  return {
    pipelineName: 'SingleUse',
    ...shared,
    transactionAmount: order.amount,
    ...(ctx.config.capture === 'reserve' ? { reserve: true } : {}),
  }
}
