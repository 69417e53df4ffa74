import { Completions } from './background/completions.js'
import {
  DEFAULT_IPN_OPTIONS,
  IpnDispatcher,
  type IpnOptions,
  tokenCancellationIpnParams,
  transactionIpnParams,
} from './background/ipn.js'
import { signOutbound, verifyOutbound } from './certs/outbound.js'
import { generateSigningKey, loadOrCreateSigningKey, type SigningKey } from './certs/signing-key.js'
import { SandboxClock } from './clock.js'
import type { ActionContext, ApiVersion } from './engine/context.js'
import { ConfigError } from './errors.js'
import { Faults } from './faults.js'
import { callerAccount, DEFAULT_CALLER, TEST_BUYERS } from './state/accounts.js'
import { loadSnapshot, saveSnapshot } from './state/persistence.js'
import { type Credential, SandboxState } from './state/store.js'

/** A caller (developer) the sandbox accepts API calls and CBUI requests from. */
export interface CallerOptions {
  accessKeyId: string
  secretKey: string
  /** The account name; keys sharing a name share one account (key rotation). Defaults to the key id. */
  account?: string
  /** This caller's IPN URL ("URL for Instant Payment Notification" in its account settings). */
  ipnUrl?: string
}

/** Everything `createSandbox` can be told; every member is optional. */
export interface SandboxOptions {
  /** Defaults to the documented development credentials, `DEFAULT_CALLER`. */
  callers?: CallerOptions[]
  /** Keep state, key and certificate here; without it everything lives in memory. */
  dataDir?: string
  /** The IPN URL of callers that have none of their own. */
  ipnUrl?: string
  /** How long CC and ACH transactions stay Pending (default 3 s). */
  settlementDelayMs?: number
  /** How long a reservation is held before it expires unsettled (default 7 days). */
  reserveExpiryMs?: number
  ipn?: Partial<IpnOptions>
  /** A ready signing key, e.g. one generated once for a whole test suite. */
  signingKey?: SigningKey
  /** The sandbox's own origin, for certificate URLs; `serve` fills it in when listening. */
  publicUrl?: string
  /** The time the sandbox's clock runs from (the system's by default); `sandbox.clock` moves ahead. */
  now?: () => Date
  /** Where background problems (abandoned IPNs, internal errors) are reported; silent by default. */
  log?: (line: string) => void
  /**
   * Lets tests make the sandbox misbehave or skip ahead: `injectFaults()`, and over HTTP
   * `/_sandbox/faults`, `POST /_sandbox/complete-pending` and `/_sandbox/clock`. Off by default,
   * since anyone who can reach the sandbox could otherwise make it drop answers or expire tokens;
   * without it those routes answer 404.
   */
  testControls?: boolean
  /** The former name of `testControls`; either one turns the test controls on. */
  faults?: boolean
}

/** The running sandbox's parts, shared by its routes. */
export interface Runtime {
  readonly state: SandboxState
  readonly key: SigningKey
  /** Injected faults; undefined unless the sandbox was created with the test controls on. */
  readonly faults: Faults | undefined
  readonly ipn: IpnDispatcher
  readonly completions: Completions
  readonly clock: SandboxClock
  readonly log: (line: string) => void
  readonly defaultIpnUrl: string | undefined
  /** The origin certificate URLs point at. */
  origin: string
  context(credential: Credential | undefined, version: ApiVersion): ActionContext
  close(): void
}

function registerCallers(state: SandboxState, callers: readonly CallerOptions[], at: string): void {
  for (const caller of callers) {
    if (!caller.accessKeyId || !caller.secretKey)
      throw new ConfigError('Each caller needs an accessKeyId and a secretKey.')
    const account = callerAccount(caller.account ?? caller.accessKeyId)
    state.ensureAccount(account, 0, at)
    state.credentials.set(caller.accessKeyId, {
      accessKeyId: caller.accessKeyId,
      secretKey: caller.secretKey,
      accountId: account.id,
      ...(caller.ipnUrl !== undefined && { ipnUrl: caller.ipnUrl }),
    })
  }
}

/** Builds the state (fresh or from the data directory), the key, and the background workers. */
export function createRuntime(options: SandboxOptions = {}): Runtime {
  const log = options.log ?? (() => {})
  const { dataDir } = options
  const state = new SandboxState(
    dataDir ? loadSnapshot(dataDir) : undefined,
    dataDir ? (snapshot) => saveSnapshot(dataDir, snapshot) : undefined
  )
  // an advance runs what fell due; catchUp commits the state, so a restart keeps the offset
  const clock = new SandboxClock(
    options.now ?? (() => new Date()),
    state.clockOffsetMs,
    (offsetMs) => {
      state.clockOffsetMs = offsetMs
      runtime.completions.catchUp()
    }
  )
  const { now } = clock
  const at = now().toISOString()
  for (const buyer of TEST_BUYERS) {
    const { openingBalance, purpose: _purpose, ...account } = buyer
    state.ensureAccount(account, openingBalance, at)
  }
  registerCallers(state, options.callers ?? [DEFAULT_CALLER], at)
  state.commit()
  const key =
    options.signingKey ?? (dataDir ? loadOrCreateSigningKey(dataDir) : generateSigningKey())
  const settlementDelayMs = options.settlementDelayMs ?? 3_000
  const reserveExpiryMs = options.reserveExpiryMs ?? 7 * 24 * 60 * 60 * 1000
  const ipnOptions = { ...DEFAULT_IPN_OPTIONS, ...options.ipn }
  const runtime: Runtime = {
    state,
    key,
    clock,
    log,
    defaultIpnUrl: options.ipnUrl,
    origin: options.publicUrl ?? 'http://localhost',
    faults: options.testControls || options.faults ? new Faults() : undefined,
    ipn: new IpnDispatcher(
      state,
      (url, params) => signOutbound('POST', url, params, key, runtime.origin),
      ipnOptions,
      log
    ),
    completions: new Completions(state, now, reserveExpiryMs, (txn) => notify(txn)),
    context: (credential, version) => ({
      state,
      callerAccountId: credential?.accountId,
      now: now(),
      version,
      ipnUrl: credential?.ipnUrl ?? options.ipnUrl,
      settlementDelayMs,
      reserveExpiryMs,
      onTransaction: notify,
      onTokenCancelled: (token, url) => {
        if (url !== undefined) runtime.ipn.enqueue(url, tokenCancellationIpnParams(state, token))
      },
      verifyOutbound: (endpoint, params) => verifyOutbound(endpoint, params, key),
    }),
    close: () => {
      runtime.ipn.close()
      runtime.completions.close()
    },
  }
  function notify(txn: Parameters<ActionContext['onTransaction']>[0]): void {
    if (txn.ipnUrl !== undefined) runtime.ipn.enqueue(txn.ipnUrl, transactionIpnParams(state, txn))
    runtime.completions.watch(txn)
  }
  runtime.completions.watch()
  return runtime
}
