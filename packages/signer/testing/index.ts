/**
 * @module Test support for a merchant's own tests, the same the signer's tests use: the real
 * signer and the real sandbox wired together, the conformance suite every store must pass, a
 * throwaway PostgreSQL, a signer process to kill, and a clock to move on.
 */

export type { PaymentPagesWalk } from '@fps-checkout/sandbox/testing'
export { walkPaymentPages } from '@fps-checkout/sandbox/testing'
export type { TestClock } from './clock.js'
export { testClock } from './clock.js'
export { freePort } from './free-port.js'
export type { Answer, HarnessOptions, LedgerTransaction } from './harness.js'
export { ADMIN_TOKEN, Harness, newCallerKey, RETURN_URL } from './harness.js'
export type { PostgresCluster } from './postgres-cluster.js'
export { startPostgres } from './postgres-cluster.js'
export type { SignerProcess, SignerProcessOptions } from './signer-process.js'
export { startSignerProcess } from './signer-process.js'
export type { StoreConformanceOptions } from './store-conformance.js'
export { describeStoreConformance, newOrder } from './store-conformance.js'
