import {
  type ActionName,
  createFpsVerifier,
  createOutboundVerifier,
  FpsClient,
  FpsError,
  type OutboundVerifier,
  type PreparedRequest,
  type RequestOf,
  type ResultOf,
} from '@fps-checkout/protocol'
import type { SignerConfig } from '../config.js'

/** A signed request of a known action, as stored in `operations.request`. */
export type Prepared<A extends ActionName = ActionName> = PreparedRequest & { action: A }

/** FPS refused the key itself: unknown to it (rotated out) or not matching its secret. */
const CREDENTIAL_CODES = new Set(['InvalidClientTokenId', 'SignatureDoesNotMatch', 'AuthFailure'])
/** FPS refused a stored request as too old to be trusted (its Timestamp window). */
const STALE_CODES = new Set(['RequestExpired', ...CREDENTIAL_CODES])

/**
 * Whether FPS refused the caller rather than the call (a key it does not know, a stale
 * signature): a configuration problem to fix and retry, never a verdict on the payment.
 */
function isCallerRefusal(error: unknown): boolean {
  return error instanceof FpsError && STALE_CODES.has(error.code)
}

/**
 * Refusals of a charge for the buyer's own account, which FPS lists as retriable: it did nothing,
 * and the same Pay could only succeed once the buyer tops up or reinstates their account. That is
 * the charge's answer: left pending, the order would be sent again by every sweep, forever, and
 * its buyer and merchant never told. The buyer pays anew; a subscription retries the period on
 * its own schedule. A refund refused for the merchant's balance stays retriable.
 */
const BUYER_REFUSALS = new Set(['InsufficientBalance', 'InvalidAccountState_Sender'])

/** The actions that charge the buyer. */
const CHARGES: ReadonlySet<ActionName> = new Set(['Pay', 'Reserve'])

/**
 * Whether an error is FPS's verdict on `action` itself, which a resend would only repeat: not a
 * failure to answer, a 500 or 503, nor a refusal of the caller.
 */
export function isVerdict(error: unknown, action: ActionName): error is FpsError {
  if (!(error instanceof FpsError) || isCallerRefusal(error)) return false
  return !error.retriable || (CHARGES.has(action) && BUYER_REFUSALS.has(error.code))
}

/** The signer's way to FPS: signing with the current key, falling back to the previous one. */
export interface FpsGateway {
  /** Signs a call with the current key without sending it, so it can be stored first. */
  prepare<A extends ActionName>(action: A, params: RequestOf<A>): Prepared<A>
  /**
   * Sends a stored request unchanged (FPS answers a resend of the same CallerReference with the
   * original result). If FPS refuses it as stale or its key as unknown, it is signed again with
   * the same parameters, handed to `resigned` to be stored, and sent.
   */
  sendStored<A extends ActionName>(
    prepared: Prepared<A>,
    resigned: (fresh: Prepared<A>) => Promise<void>
  ): Promise<ResultOf<A>>
  /** Calls an action that moves no money, trying each configured key in turn. */
  call<A extends ActionName>(action: A, params: RequestOf<A>): Promise<ResultOf<A>>
  /** Verifies returns and IPNs, locally or through VerifySignature as configured. */
  verifier: OutboundVerifier
}

/** What the gateway needs besides the configuration. */
export interface FpsGatewayOptions {
  fetch?: typeof fetch
  now: () => Date
  /** Retries of network failures, 500 and 503 per call (the official clients used 3). */
  maxRetries: number
}

/** Builds the gateway from the configured endpoints and key pairs. */
export function createFpsGateway(config: SignerConfig, options: FpsGatewayOptions): FpsGateway {
  const clients = config.keys.map(
    (key) =>
      new FpsClient({
        ...key,
        endpoint: config.apiUrl,
        now: options.now,
        maxRetries: options.maxRetries,
        ...(options.fetch ? { fetch: options.fetch } : {}),
      })
  ) as [FpsClient, ...FpsClient[]]
  const [current] = clients

  async function withEachKey<T>(attempt: (client: FpsClient) => Promise<T>): Promise<T> {
    let refused: unknown
    for (const client of clients) {
      try {
        return await attempt(client)
      } catch (error) {
        if (!(error instanceof FpsError && CREDENTIAL_CODES.has(error.code))) throw error
        refused = error
      }
    }
    throw refused
  }

  return {
    prepare: (action, params) => current.prepare(action, params),

    async sendStored(prepared, resigned) {
      try {
        return await current.send(prepared)
      } catch (error) {
        if (!isCallerRefusal(error)) throw error
      }
      return withEachKey(async (client) => {
        const fresh = client.refresh(prepared)
        await resigned(fresh)
        return client.send(fresh)
      })
    },

    call: (action, params) => withEachKey((client) => client.call(action, params)),

    verifier:
      config.verification === 'api'
        ? createFpsVerifier(current)
        : createOutboundVerifier({
            allowedCertificatePrefixes: config.certificatePrefixes,
            now: options.now,
            ...(options.fetch ? { fetch: options.fetch } : {}),
          }),
  }
}
