import { getConnInfo } from '@hono/node-server/conninfo'
import { type Context, Hono } from 'hono'
import { cors } from 'hono/cors'
import {
  ENVIRONMENT,
  resolveConfig,
  type SignerConfig,
  type SignerSettings,
  settingsFromEnv,
} from './config.js'
import type { SignerEnv } from './env.js'
import { SignerError } from './errors.js'
import { destinationOf, type EventHandler } from './events/destinations.js'
import { startDelivery } from './events/outbox.js'
import type { AccountView, ActivityPage } from './http/contract.js'
import { errorResponse } from './http/errors.js'
import { createLogger, type LogSink } from './log.js'
import { bodySize } from './middleware/body-size.js'
import { originGuard, preflightOrigin } from './middleware/origin-guard.js'
import { failureLimit, rateLimit } from './middleware/rate-limit.js'
import { requestIds, requestLog } from './middleware/request-log.js'
import { responseHeaders } from './middleware/response-headers.js'
import { type ActivityQuery, accountActivity, accountBalance } from './payments/account.js'
import type { PaymentsContext } from './payments/context.js'
import { createFpsGateway } from './payments/fps.js'
import { compareWithLedger, type LedgerPeriod, type LedgerReport } from './payments/ledger.js'
import { type SweepReport, sweep } from './payments/sweep.js'
import { adminRoutes } from './routes/admin.js'
import { allowanceRoutes } from './routes/allowances.js'
import { checkoutRoutes } from './routes/checkout.js'
import { eventRoutes } from './routes/events.js'
import { healthRoutes, readinessRoutes } from './routes/health.js'
import { ipnRoutes } from './routes/ipn.js'
import { orderRoutes } from './routes/orders.js'
import { returnRoutes } from './routes/return.js'
import { openStore } from './store/open.js'
import type { Store } from './store/types.js'

/** Everything `createApp` accepts: the settings, plus what code can inject and the environment cannot. */
export interface SignerOptions extends SignerSettings {
  /** A store to use instead of opening `databaseUrl`. */
  store?: Store
  /** The fetch FPS calls and certificate downloads go through. */
  fetch?: typeof fetch
  /** Where JSON log lines go; stdout by default. */
  log?: LogSink
  now?: () => Date
  /** Who a client is, for the rate limits; the remote address by default. */
  clientKey?: (c: Context) => string
  /**
   * Gets each event (`order.paid`, …) from the outbox, in order per order, at least once: the
   * signer awaits it, and tries a rejected event again with backoff until it resolves. It runs
   * apart from requests, so a slow or failing handler holds back no checkout. Takes the place
   * of `webhookUrl`.
   */
  onEvent?: EventHandler
}

/** A signer: its Hono app, the reconciliation sweep, and a way to close its store. */
export interface Signer {
  app: Hono<SignerEnv>
  config: SignerConfig
  /** Resolves once the store's schema is migrated; requests wait for it. */
  ready: Promise<void>
  /**
   * Resolves once the store is migrated and has just taken a write; rejects with a
   * `StoreUnavailableError` when it cannot (what `GET /readyz` answers).
   */
  checkWritable(): Promise<void>
  /** One reconciliation sweep; it never rejects: what fails is logged and counted in `failed`. */
  sweep(): Promise<SweepReport>
  /** The merchant's balance at FPS (`GetAccountBalance`). */
  accountBalance(): Promise<AccountView>
  /** One page of the merchant's FPS account activity (`GetAccountActivity`), oldest first. */
  accountActivity(query: ActivityQuery): Promise<ActivityPage>
  /**
   * Compares the period's orders with FPS's account activity (by default the last day) and
   * answers each disagreement; it moves nothing.
   */
  reconcileLedger(period?: LedgerPeriod): Promise<LedgerReport>
  /** Stops delivering events (waiting for the tries in flight), lets the migration finish and closes the store. */
  close(): Promise<void>
}

/**
 * Builds a signer from options, or from the environment (and `.env`) when none are given. Throws
 * a `ConfigError` naming the first bad setting.
 */
export function createSigner(options?: SignerOptions): Signer {
  const {
    store: injected,
    fetch,
    log: sink,
    now = () => new Date(),
    clientKey,
    onEvent,
    ...settings
  } = options ?? (settingsFromEnv() as SignerOptions)
  const config = resolveConfig(settings, options ? {} : ENVIRONMENT)
  const destination = destinationOf(config, { onEvent, fetch: fetch ?? globalThis.fetch, now })
  const logger = createLogger(sink)
  const store = injected ?? openStore(config.databaseUrl, now)
  const ready = store.migrate()
  ready.catch((error: unknown) => logger.error('the store could not be migrated', { error }))
  let probing: Promise<void> | undefined
  // callers at the same moment share one probe, so a flood of /readyz is one write at a time
  const checkWritable = () =>
    (probing ??= ready
      .then(() => store.probeWrite(now().toISOString()))
      .finally(() => {
        probing = undefined
      }))
  const ctx: PaymentsContext = {
    config,
    store,
    now,
    log: logger,
    fps: createFpsGateway(config, {
      now,
      maxRetries: config.maxRetries,
      ...(fetch ? { fetch } : {}),
    }),
  }
  // the outbox is delivered once the schema is there; a store that cannot migrate has none
  const delivery =
    destination && ready.then(() => startDelivery(ctx, destination)).catch(() => undefined)

  const allowedOrigins = config.trustedOrigins
  const key = clientKey ?? remoteAddress
  // a wrong admin token (or order token, which is checked against the admin token too) counts
  const authFailures = failureLimit({
    ...config.authFailureLimit,
    key,
    counts: 'failed authentications',
    failed: (c) => c.res.status === 401,
  })
  const app = new Hono<SignerEnv>()
    .use(requestIds())
    .use(responseHeaders({ allowedOrigins }))
    .use(requestLog({ logger }))
    .on(
      'OPTIONS',
      '*',
      cors({
        origin: preflightOrigin(allowedOrigins),
        allowMethods: ['GET', 'POST'],
        allowHeaders: ['Content-Type', 'Idempotency-Key', 'Authorization'],
        maxAge: 600,
      })
    )
    .use(originGuard({ allowedOrigins }))
    .use(bodySize({ maxBytes: config.bodyLimitBytes }))
    .use(async function migrated(_c, next) {
      await ready
      await next()
    })
    .use('/checkout', rateLimit({ ...config.checkoutRateLimit, key, counts: 'checkouts' }))
    .use('/return', rateLimit({ ...config.returnRateLimit, key, counts: 'returns' }))
    .use('/admin/*', authFailures)
    .use('/orders/*', authFailures)
    .route('/checkout', checkoutRoutes(ctx))
    .route('/return', returnRoutes(ctx))
    .route('/ipn', ipnRoutes(ctx))
    .route('/orders', orderRoutes(ctx))
    .route('/allowances', allowanceRoutes(ctx))
    .route('/admin/events', eventRoutes(ctx))
    .route('/admin', adminRoutes(ctx))
    .route('/healthz', healthRoutes())
    .route('/readyz', readinessRoutes(checkWritable))
    // last: a mounted app's unmatched paths reach the parent's notFound, so the signer answers
    // its own; a known path with a method it does not take is not found either
    .all('*', notFound)
  app.onError(errorResponse)
  app.notFound(notFound)

  return {
    app,
    config,
    ready,
    checkWritable,
    sweep: async () => {
      try {
        await ready
      } catch {
        // logged when the migration failed; a sweep has no store to work with
        return { resent: 0, recovered: 0, expired: 0, settled: 0, charged: 0, failed: 1 }
      }
      return sweep(ctx)
    },
    accountBalance: () => accountBalance(ctx),
    accountActivity: (query) => accountActivity(ctx, query),
    reconcileLedger: async (period) => {
      await ready
      return compareWithLedger(ctx, period)
    },
    async close() {
      await (await delivery)?.stop()
      // a migration cut off by the close would leave its error in the log for nothing
      await ready.catch(() => undefined)
      await store.close()
    },
  }
}

/**
 * The signer as a Hono app that never listens: mount it (`shop.route('/fps', createApp())`) or
 * serve it. Options default to the environment.
 *
 * @example
 * const app = createApp({ accessKeyId, secretKey, returnUrl: 'https://shop.example/return' })
 */
export function createApp(options?: SignerOptions): Hono<SignerEnv> {
  return createSigner(options).app
}

function notFound(c: Context<SignerEnv>): Response {
  return errorResponse(new SignerError('not_found', 'There is nothing here.'), c)
}

function remoteAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown'
  } catch {
    return 'unknown'
  }
}
