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
})

export type FaultPlan = z.input<typeof faultPlanSchema>

/** Counters of injected faults still to happen; each API call takes at most one of each kind. */
export class Faults {
  private error = { status: 500 as 500 | 503, count: 0 }
  private delay = { ms: 0, count: 0 }
  private drop = 0

  /** Adds faults to happen on the next API calls. */
  inject(plan: FaultPlan): void {
    const parsed = faultPlanSchema.parse(plan)
    if (parsed.error) this.error = { ...parsed.error }
    if (parsed.delay) this.delay = { ...parsed.delay }
    if (parsed.drop) this.drop = parsed.drop.count
  }

  clear(): void {
    this.error.count = 0
    this.delay.count = 0
    this.drop = 0
  }

  /** What is still armed, for the admin endpoint. */
  describe(): {
    error: { status: number; count: number }
    delay: { ms: number; count: number }
    drop: { count: number }
  } {
    return { error: { ...this.error }, delay: { ...this.delay }, drop: { count: this.drop } }
  }

  /** The status to fail this call with, if an error fault is armed. */
  takeError(): 500 | 503 | undefined {
    if (this.error.count === 0) return undefined
    this.error.count -= 1
    return this.error.status
  }

  takeDelay(): number {
    if (this.delay.count === 0) return 0
    this.delay.count -= 1
    return this.delay.ms
  }

  takeDrop(): boolean {
    if (this.drop === 0) return false
    this.drop -= 1
    return true
  }
}
