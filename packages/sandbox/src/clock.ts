import { z } from 'zod'
import { SandboxError } from './errors.js'

/** How a test moves the clock over HTTP: by a duration, or to a moment; never backwards. */
export const clockChangeSchema = z
  .strictObject({
    advanceMs: z.number().int().optional(),
    to: z.iso.datetime({ offset: true }).optional(),
  })
  .refine(
    (change) => (change.advanceMs === undefined) !== (change.to === undefined),
    'give exactly one of advanceMs and to'
  )

export type ClockChange = z.infer<typeof clockChangeSchema>

/**
 * The sandbox's time: a base clock (the system's, or the `now` option) plus how far tests have
 * moved it ahead. Everything FPS judged or dated by time reads it: token validity, Recurring and
 * usage-limit periods, transaction and ledger dates, the Pending delay, reserve expiry, CBUI
 * sessions and the 7-day idempotency record. The offset only grows, so no date the sandbox
 * handed out ever lies in its future.
 */
export class SandboxClock {
  #offsetMs: number

  constructor(
    /** The time before any advance; a client that does not share this clock signs by it. */
    readonly base: () => Date,
    offsetMs: number,
    private readonly onAdvance: (offsetMs: number) => void
  ) {
    this.#offsetMs = offsetMs
  }

  /** The sandbox's current time; a bound function, so `now: sandbox.clock.now` can be handed on. */
  readonly now = (): Date => new Date(this.base().getTime() + this.#offsetMs)

  /** How far ahead of its base the clock runs. */
  get offsetMs(): number {
    return this.#offsetMs
  }

  /** Moves the clock `ms` ahead; what falls due meanwhile (completions, expiries) happens now. */
  advance(ms: number): Date {
    const target = this.now().getTime() + ms
    if (!Number.isFinite(ms) || Number.isNaN(new Date(target).getTime())) {
      throw new SandboxError('invalid_clock_change', `The clock cannot move by ${ms} ms.`)
    }
    if (ms < 0) {
      throw new SandboxError(
        'clock_backwards',
        `The sandbox's clock only moves forward; it is ${this.now().toISOString()}.`
      )
    }
    this.#offsetMs += ms
    this.onAdvance(this.#offsetMs)
    return this.now()
  }

  /** Moves the clock ahead to `time`, which must not be earlier than the sandbox's now. */
  advanceTo(time: Date): Date {
    return this.advance(time.getTime() - this.now().getTime())
  }

  /** What `GET /_sandbox/clock` answers. */
  describe(): { now: string; offsetMs: number } {
    return { now: this.now().toISOString(), offsetMs: this.#offsetMs }
  }

  /** Applies a change a test sent over HTTP. */
  change(change: ClockChange): Date {
    return change.to === undefined
      ? this.advance(change.advanceMs ?? 0)
      : this.advanceTo(new Date(change.to))
  }
}
