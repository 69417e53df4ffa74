/**
 * @module The FPS signing server: `createApp(options)` is a Hono app that keeps the secret key off
 * the browser, signs CBUI requests, verifies returns and IPNs, and pays exactly once.
 */

export type { Signer, SignerOptions } from './app.js'
export { createApp, createSigner } from './app.js'
export type { FpsTarget, KeyPair, SignerConfig, SignerSettings } from './config.js'
export { ENVIRONMENT, resolveConfig, settingsFromEnv } from './config.js'
export type { SignerEnv } from './env.js'
export type { ErrorCode, SignerErrorOptions } from './errors.js'
export { ConfigError, SignerError } from './errors.js'
export type { EventHandler } from './events/destinations.js'
export type { VerifyWebhookOptions, WebhookHeaders } from './events/signature.js'
export { verifyWebhook, WebhookVerificationError } from './events/signature.js'
export type {
  DeliveryState,
  EventRecord,
  EventType,
  RefundView,
  SignerEvent,
} from './http/contract.js'
export { EVENT_TYPES } from './http/contract.js'
export type { LogSink } from './log.js'
export type { ActivityQuery, ActivityRange } from './payments/account.js'
export type {
  Disagreement,
  DisagreementKind,
  LedgerPeriod,
  LedgerReport,
} from './payments/ledger.js'
export type { SweepReport } from './payments/sweep.js'
export type { Catalog, CatalogInput } from './policy/catalog.js'
export type { RunningSigner, ServeOptions } from './serve.js'
export { serveSigner } from './serve.js'
export { openStore } from './store/open.js'
export type {
  NewRefundRequest,
  RefundDecider,
  RefundDecision,
  RefundRequest,
  RefundRequestStore,
} from './store/refund-requests.js'
export type {
  CaptureMode,
  HistoryEntry,
  NewOperation,
  NewOrder,
  Operation,
  OperationKind,
  Order,
  OrderStatus,
  Store,
} from './store/types.js'
export { StoreUnavailableError } from './store/unavailable.js'
