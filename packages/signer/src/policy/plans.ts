import { z } from 'zod'

/** FPS's `recurringPeriod`: a count and a unit, `1 Month`, `2 Weeks`. */
const PERIOD = /^([1-9]\d{0,2}) (Day|Week|Month|Year)s?$/

/** A day in milliseconds: periods, retries and windows count in them. */
export const DAY_MS = 86_400_000

/** A month is 30 days and a year 365, as the FPS sandbox counts a Recurring token's periods. */
const UNIT_MS: Record<string, number> = {
  Day: DAY_MS,
  Week: 7 * DAY_MS,
  Month: 30 * DAY_MS,
  Year: 365 * DAY_MS,
}

/** A period as a catalog writes it; the error names FPS's form. */
export const period = z.string().regex(PERIOD, {
  message: 'must be a period such as "1 Month", "2 Weeks", "1 Year" (Day, Week, Month or Year)',
})

/** A period's length in milliseconds. */
export function periodMs(every: string): number {
  const match = PERIOD.exec(every)
  if (!match) throw new Error(`"${every}" is not a period.`)
  return Number(match[1]) * UNIT_MS[match[2]!]!
}

/**
 * When a period falls due: `period - 1` periods after the first began, however late an earlier
 * one was charged, so a late sweep never shifts the schedule.
 */
export function periodDueAt(anchorAt: string, every: string, period: number): string {
  return new Date(Date.parse(anchorAt) + (period - 1) * periodMs(every)).toISOString()
}

/** A plan's dates, from its sign-up. */
export interface PlanDates {
  /** With a free trial: when it ends and the first period begins. */
  trialEndsAt: string | undefined
  /** With a validity: when the last period must have begun. */
  endsAt: string | undefined
}

/**
 * A plan's dates counted from its checkout, where its Recurring token is signed: the token's
 * validity and the subscription's schedule are the same dates, so FPS honours every charge the
 * schedule makes and none before the trial ends.
 */
export function planDates(
  plan: { trialDays?: number | undefined; validity?: string | undefined },
  checkoutAt: string
): PlanDates {
  const start = Date.parse(checkoutAt) + (plan.trialDays ?? 0) * DAY_MS
  return {
    trialEndsAt: plan.trialDays ? new Date(start).toISOString() : undefined,
    endsAt: plan.validity ? new Date(start + periodMs(plan.validity)).toISOString() : undefined,
  }
}
