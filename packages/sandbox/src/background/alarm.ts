/**
 * One timer that fires at the earliest requested moment; background work (completions, IPN
 * retries) re-arms it after each run. Unref'd, so it never keeps a process alive by itself.
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
      Math.max(0, time - this.clock())
    )
    this.timer.unref()
  }

  close(): void {
    this.closed = true
    clearTimeout(this.timer)
  }
}
