import type { Sandbox } from '@fps-checkout/sandbox'
import type { Random } from './seed.js'

/** What the dropper saw: Pay calls the signer sent, and how many of their answers were lost. */
export interface DropCounts {
  pays: number
  dropped: number
}

/** The signer's `fetch`, with a coin flipped for every Pay it sends. */
export interface PayDropper {
  fetch: typeof fetch
  /**
   * A `fetch` for someone else's FPS calls (an attacker's Pays): each takes its turn among the
   * signer's Pays, never dropped, so no drop armed for one of those meets it instead.
   */
  quiet: typeof fetch
  counts: DropCounts
}

function isPay(init: RequestInit | undefined): boolean {
  return typeof init?.body === 'string' && new URLSearchParams(init.body).get('Action') === 'Pay'
}

/**
 * For each Pay the signer sends, decides with probability `rate` that the sandbox executes and
 * commits it and then drops the connection (the sandbox's own `drop` fault). The coin for the nth
 * Pay is the nth number `random` draws: the run's seed decides it (timing decides which order's
 * Pay is the nth). Pay calls reach the sandbox one at a time so that the fault armed for a call is
 * the one that call meets (the `quiet` ones take turns with them); the signer's orders still run
 * concurrently (its retries wait out their backoff in parallel).
 */
export function payDropper(sandbox: Sandbox, rate: number, random: Random): PayDropper {
  const counts: DropCounts = { pays: 0, dropped: 0 }
  let previous: Promise<unknown> = Promise.resolve()
  const send = async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    counts.pays += 1
    if (random() < rate) {
      counts.dropped += 1
      sandbox.injectFaults({ drop: { count: 1 }, action: 'Pay' })
    }
    try {
      return await fetch(input, init)
    } finally {
      sandbox.clearFaults()
    }
  }
  const inTurn =
    (call: typeof fetch): typeof fetch =>
    (input, init) => {
      const turn = previous.then(() => call(input, init))
      previous = turn.catch(() => undefined)
      return turn
    }
  const pay = inTurn(send)
  return {
    counts,
    quiet: inTurn(fetch),
    fetch: (input, init) => (isPay(init) ? pay(input, init) : fetch(input, init)),
  }
}
