/** setTimeout fires at once for longer waits (about 24.8 days); waking early only re-arms. */
const MAX_WAIT_MS = 2 ** 31 - 1

/**
 * One timer that fires at the earliest requested moment; background work (completions, IPN
 * retries) re-arms it after each run. Unref'd, so it never keeps a process alive by itself.
 * Moments are read on `clock`: the sandbox's own for completions, the wall clock for IPN retries.
 */
export class Alarm {
  private timer: NodeJS.Timeout | undefined
  private due = Number.POSITIVE_INFINITY
  private closed = false

  constructor(
    private readonly run: () => void,
    private readonly clock: () => number = Date.now
  ) {}

  /** Fires no later than `time` (epoch ms). */
  at(time: number): void {
    if (this.closed || time >= this.due) return
    clearTimeout(this.timer)
    this.due = time
    this.timer = setTimeout(
      () => {
        this.timer = undefined
        this.due = Number.POSITIVE_INFINITY
        this.run()
      },
      Math.min(MAX_WAIT_MS, Math.max(0, time - this.clock()))
    )
    this.timer.unref()
  }

  /** Forgets the moment it waits for: after the clock jumped, the wait it set is wrong. */
  reset(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    this.due = Number.POSITIVE_INFINITY
  }

  close(): void {
    this.closed = true
    this.reset()
  }
}
