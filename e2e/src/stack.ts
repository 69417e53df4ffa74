import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type DemoOptions, type RunningDemo, startDemo } from '@fps-checkout/demo'

/** A demo stack of its own for one test file, in a throwaway data directory. */
export interface Stack extends RunningDemo {
  /** The sandbox's Pay and Reserve transactions for one order: the money actually taken. */
  charges(callerReference: string): { id: string; status: string; amount: number }[]
  /** An order as the merchant's admin API reports it. */
  order(
    callerReference: string
  ): Promise<{ status: string; amount: string; transactionId?: string }>
  /**
   * Moves the stack's one clock forward: the sandbox's, which the signer (a subscription's
   * schedule) and the shop (download links, streaming) read too, so FPS's Recurring periods and
   * the signer's move together. What falls due meanwhile at the sandbox happens now; the signer
   * charges what fell due at its next sweep.
   */
  travel(ms: number): void
  stop(): Promise<void>
}

/** What a test file's stack may change: the capture mode, and items added to the catalog. */
export type StackOptions = Pick<DemoOptions, 'capture' | 'catalog'>

/**
 * Starts shop, signer and sandbox; card and bank payments complete after 1.5 s, and a sweep (run
 * by the test, never by a timer) recovers any checkout whose buyer authorized without coming
 * back, however recent.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fps-e2e-'))
  const demo = await startDemo({
    dataDir,
    settlementDelayMs: 1500,
    recoverAfterMs: 1,
    // the tests sweep when they mean to: a minute's sweep would recover a checkout mid-flow
    sweepEveryMs: 0,
    log: () => {},
    ...options,
  })
  return {
    ...demo,
    charges(callerReference) {
      return [...demo.sandbox.sandbox.state.transactions.values()]
        .filter(
          (t) =>
            t.callerReference === callerReference &&
            (t.operation === 'Pay' || t.operation === 'Reserve')
        )
        .map((t) => ({ id: t.id, status: t.status, amount: t.amount }))
    },
    async order(callerReference) {
      const response = await fetch(
        `${demo.shopUrl}/fps/orders/${encodeURIComponent(callerReference)}`,
        {
          headers: { authorization: `Bearer ${demo.adminToken}` },
        }
      )
      if (!response.ok) throw new Error(`order ${callerReference}: HTTP ${response.status}`)
      return ((await response.json()) as { order: { status: string; amount: string } }).order
    },
    travel(ms) {
      demo.sandbox.sandbox.clock.advance(ms)
    },
    async stop() {
      await demo.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** The callerReference CBUI carried back on the return URL. */
export function callerReferenceOf(returnUrl: string): string {
  const reference = new URL(returnUrl).searchParams.get('callerReference')
  if (!reference) throw new Error(`No callerReference on ${returnUrl}`)
  return reference
}
