import { Hono } from 'hono'
import { accountRoutes } from './account-page.js'
import { adminRoutes } from './admin.js'
import { errorAnswer } from './api/responses.js'
import { apiRoutes, type Env } from './api/routes.js'
import { problemPage } from './cbui/pages.js'
import { cbuiRoutes } from './cbui/routes.js'
import { certificatePath } from './certs/outbound.js'
import { certificateRoutes } from './certs/routes.js'
import type { SigningKey } from './certs/signing-key.js'
import type { SandboxClock } from './clock.js'
import { ConfigError, FpsFault } from './errors.js'
import type { FaultPlan, Faults } from './faults.js'
import { securityHeaders } from './html/security.js'
import { createRuntime, type Runtime, type SandboxOptions } from './runtime.js'
import type { SandboxState } from './state/store.js'

/** A sandbox ready to serve: its Hono app (which never listens by itself) and handles for tests. */
export interface Sandbox {
  app: Hono<Env>
  state: SandboxState
  signingKey: SigningKey
  /** Where the certificate is served, under the sandbox's origin. */
  certificateUrl(): string
  /** Tells the sandbox its public origin (done by `serve`), for certificate URLs. */
  setOrigin(origin: string): void
  /**
   * The sandbox's time, which a test moves forward with `advance(ms)` or `advanceTo(date)`:
   * token validity, Recurring and usage-limit periods, reserve expiry and every date follow it.
   * Always available in-process; over HTTP only with the test controls on.
   */
  clock: SandboxClock
  /**
   * Faults for the next API calls: errors, delays, dropped responses. Throws a `ConfigError`
   * unless the sandbox was created with `testControls: true`.
   */
  injectFaults(plan: FaultPlan): void
  /** Disarms every injected fault (nothing to do when fault injection is off). */
  clearFaults(): void
  /** Completes every Pending CC and ACH transaction now instead of after the settlement delay. */
  completePending(): void
  /** Resolves once no transaction is Pending on the processor and no IPN is waiting. */
  whenIdle(timeoutMs?: number): Promise<void>
  /** Stops background timers. */
  close(): void
}

function enabledFaults(runtime: Runtime): Faults {
  if (!runtime.faults) {
    throw new ConfigError(
      'Fault injection is off: create the sandbox with { testControls: true } (fps-sandbox --test-controls) to use injectFaults().'
    )
  }
  return runtime.faults
}

/**
 * Creates the FPS emulator: CBUI pages, the FPS API, certificates, IPN delivery and the ledger,
 * on one Hono app.
 *
 * @example
 * const sandbox = createSandbox({ settlementDelayMs: 50 })
 * serve({ fetch: sandbox.app.fetch, port: 0 })
 */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const runtime = createRuntime(options)
  const app = new Hono<Env>()
    .use(securityHeaders())
    .route('/cobranded-ui', cbuiRoutes(runtime))
    .route('/certs', certificateRoutes(runtime))
    .route('/account', accountRoutes(runtime))
    .route('/_sandbox', adminRoutes(runtime))
    .route('/', apiRoutes(runtime))
  app.notFound((c) => c.text('Not found.', 404))
  app.onError((error, c) => {
    const path = new URL(c.req.url).pathname
    runtime.log(`Internal error on ${c.req.method} ${path}: ${error.name}: ${error.message}`)
    const message = 'The sandbox failed to handle the request.'
    if (/^\/(cobranded-ui|account)\//.test(path))
      return c.html(problemPage('Something went wrong', message), 500)
    const answer = errorAnswer(new FpsFault('InternalError', message))
    return c.body(answer.body, 500, { 'content-type': 'text/xml; charset=utf-8' })
  })
  return {
    app,
    state: runtime.state,
    signingKey: runtime.key,
    clock: runtime.clock,
    certificateUrl: () => `${runtime.origin}${certificatePath(runtime.key)}`,
    setOrigin: (origin) => {
      runtime.origin = origin
    },
    injectFaults: (plan) => enabledFaults(runtime).inject(plan),
    clearFaults: () => runtime.faults?.clear(),
    completePending: () => runtime.completions.completeAll(),
    whenIdle: async (timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs
      while (runtime.ipn.pending() > 0 || runtime.completions.pending() > 0) {
        if (Date.now() > deadline)
          throw new Error(`The sandbox was still busy after ${timeoutMs} ms.`)
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
    },
    close: () => runtime.close(),
  }
}
