/**
 * @module A local emulator of Amazon FPS: the Co-Branded UI pages, the FPS API, its certificates,
 * IPN delivery and a double-entry ledger, as one Hono app.
 */

export type { Sandbox } from './app.js'
export { createSandbox } from './app.js'
export type { IpnOptions } from './background/ipn.js'
export type { SigningKey } from './certs/signing-key.js'
export { generateSigningKey } from './certs/signing-key.js'
export type { SandboxClock } from './clock.js'
export { SIMULATED_TOKENS } from './engine/simulations.js'
export type { FpsErrorCode } from './errors.js'
export { ConfigError, FpsFault, SandboxError } from './errors.js'
export type { FaultPlan } from './faults.js'
export type { CallerOptions, SandboxOptions } from './runtime.js'
export type { RunningSandbox, ServeOptions } from './serve.js'
export { serveSandbox } from './serve.js'
export type { TestBuyer } from './state/accounts.js'
export { DEFAULT_CALLER, TEST_BUYER_PASSWORD, TEST_BUYERS } from './state/accounts.js'
