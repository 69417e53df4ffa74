/** A clock a test moves on: pass `now` to a signer or a sandbox, then `advance` it. */
export interface TestClock {
  now: () => Date
  /** Moves the clock `ms` ahead of real time, as if that long had passed. */
  advance(ms: number): void
}

/**
 * Real time plus an offset the test moves on, so a TTL, a lease or an expiry lapses without the
 * test waiting for it. It keeps running between advances: the timestamps a component stores stay
 * in order.
 */
export function testClock(): TestClock {
  let offset = 0
  return {
    now: () => new Date(Date.now() + offset),
    advance: (ms) => {
      offset += ms
    },
  }
}
