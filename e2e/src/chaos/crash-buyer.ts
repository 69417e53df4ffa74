import { setTimeout as sleep } from 'node:timers/promises'
import type { SignerProcess } from '@fps-checkout/signer/testing'

/** What the buyer's page reads from a signer answer. */
export interface Answer {
  status: number
  json: { url?: string; callerReference?: string; order?: { status: string } }
}

/** A JSON POST to a signer that may be killed under it: undefined when the connection is lost. */
export async function post(
  base: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {}
): Promise<Answer | undefined> {
  try {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    })
    return { status: response.status, json: (await response.json()) as Answer['json'] }
  } catch {
    return undefined
  }
}

/** The two signer requests of a purchase. */
export type RequestKind = 'checkout' | 'return'

/**
 * When to kill: at a moment within the latest answer time seen for that kind of request, chosen
 * as a fraction of it (the run's seed draws the fraction), so kills land anywhere inside a request
 * (or just after it) and nowhere far away.
 */
export class KillTimer {
  private readonly windows: Record<RequestKind, number> = { checkout: 1, return: 1 }

  /** Sends a request no one kills, and sets its kind's window to its latency (2 s at most). */
  async timed<T>(kind: RequestKind, send: () => Promise<T>): Promise<T> {
    const started = performance.now()
    const answer = await send()
    this.windows[kind] = Math.min(2_000, Math.ceil(performance.now() - started))
    return answer
  }

  /** Sends a request and kill -9s the signer at fraction `at` (in [0, 1)) of its kind's window. */
  async underKill<T>(
    child: SignerProcess,
    kind: RequestKind,
    at: number,
    send: () => Promise<T>
  ): Promise<T> {
    const killed = sleep(Math.floor(at * (this.windows[kind] + 1))).then(() => child.kill())
    const answer = await send()
    await killed
    return answer
  }
}
