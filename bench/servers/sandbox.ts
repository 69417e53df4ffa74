import { DEFAULT_CALLER, serveSandbox } from '@fps-checkout/sandbox'
import { ready } from '../child.js'

/**
 * The real sandbox in a process of its own, as FPS was a remote service, knowing the development
 * caller the seeded stores belong to. It sends no IPNs (no caller names a URL), so a card payment
 * the signer saw Pending is learnt only by asking: what the sweep is for. Card payments complete
 * after SETTLEMENT_DELAY_MS.
 */
const running = await serveSandbox({
  port: 0,
  callers: [{ ...DEFAULT_CALLER }],
  settlementDelayMs: Number(process.env.SETTLEMENT_DELAY_MS ?? 500),
})
ready({ url: running.url }, () => running.close())
