import type { CbuiRequest } from '@fps-checkout/protocol'
import type { CheckoutRequest } from '../http/contract.js'
import { allowanceOf, planOf } from '../policy/catalog.js'
import { planDates } from '../policy/plans.js'
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
  order: { callerReference: string; amount: string; logo: string | undefined; createdAt: string }
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
    // FPS refuses a charge before the trial ends or after the plan's validity
    const { trialEndsAt, endsAt } = planDates(plan, order.createdAt)
    return {
      pipelineName: 'Recurring',
      ...shared,
      transactionAmount: order.amount,
      recurringPeriod: plan.every,
      ...(trialEndsAt ? { validityStart: Math.floor(Date.parse(trialEndsAt) / 1000) } : {}),
      ...(endsAt ? { validityExpiry: Math.ceil(Date.parse(endsAt) / 1000) } : {}),
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
