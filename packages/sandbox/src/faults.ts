import { z } from 'zod'

/** What the next API calls should suffer, for testing a client's recovery. */
export const faultPlanSchema = z.strictObject({
  /** Answer the next `count` calls with this status without executing them. */
  error: z
    .strictObject({
      status: z.union([z.literal(500), z.literal(503)]),
      count: z.number().int().min(1),
    })
    .optional(),
  /** Wait `ms` before handling each of the next `count` calls. */
  delay: z
    .strictObject({ ms: z.number().int().min(0).max(60_000), count: z.number().int().min(1) })
    .optional(),
  /** Execute and commit the next `count` calls, then drop the connection instead of answering. */
  drop: z.strictObject({ count: z.number().int().min(1) }).optional(),
  /** Only calls of this action (`Pay`) count and suffer; other calls pass untouched. */
  action: z
    .string()
    .regex(/^[A-Za-z]+$/)
    .optional(),
})

export type FaultPlan = z.input<typeof faultPlanSchema>

/** Counters of injected faults still to happen; each API call takes at most one of each kind. */
export class Faults {
  private error = { status: 500 as 500 | 503, count: 0, action: undefined as string | undefined }
  private delay = { ms: 0, count: 0, action: undefined as string | undefined }
  private drop = { count: 0, action: undefined as string | undefined }

  /** Adds faults to happen on the next API calls (of the plan's action, when it names one). */
  inject(plan: FaultPlan): void {
    const { action, ...parsed } = faultPlanSchema.parse(plan)
    if (parsed.error) this.error = { ...parsed.error, action }
    if (parsed.delay) this.delay = { ...parsed.delay, action }
    if (parsed.drop) this.drop = { ...parsed.drop, action }
  }

  clear(): void {
    this.error.count = 0
    this.delay.count = 0
    this.drop.count = 0
  }

  /** What is still armed, for the admin endpoint. */
  describe(): {
    error: { status: number; count: number; action?: string }
    delay: { ms: number; count: number; action?: string }
    drop: { count: number; action?: string }
  } {
    const shown = <T extends { action: string | undefined }>({ action, ...rest }: T) => ({
      ...rest,
      ...(action === undefined ? {} : { action }),
    })
    return { error: shown(this.error), delay: shown(this.delay), drop: shown(this.drop) }
  }

  /** The status to fail this call of `action` with, if an error fault is armed for it. */
  takeError(action: string | undefined): 500 | 503 | undefined {
    return take(this.error, action) ? this.error.status : undefined
  }

  takeDelay(action: string | undefined): number {
    return take(this.delay, action) ? this.delay.ms : 0
  }

  takeDrop(action: string | undefined): boolean {
    return take(this.drop, action)
  }
}

/** Uses up one fault of a kind if it is armed for this call's action. */
function take(fault: { count: number; action: string | undefined }, action: string | undefined) {
  if (fault.count === 0 || (fault.action !== undefined && fault.action !== action)) return false
  fault.count -= 1
  return true
}
