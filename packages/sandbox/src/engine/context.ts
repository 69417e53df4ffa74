import type { Token, Transaction } from '../state/model.js'
import type { SandboxState } from '../state/store.js'

/**
 * The FPS API versions the sandbox speaks; each answers in its own XML namespace. 2011-09-20 is
 * undocumented: amazon_flex_pay sent it for every call and the live service answered it with the
 * 2010-08-28 shapes, but for GetRecipientVerificationStatus's revised statuses.
 */
export type ApiVersion = '2008-09-17' | '2010-08-28' | '2011-09-20'

/** Every {@link ApiVersion}, for checking a request's `Version`. */
export const API_VERSIONS: readonly ApiVersion[] = ['2008-09-17', '2010-08-28', '2011-09-20']

/** What every action runs with: the state, the authenticated caller, the clock and the hooks. */
export interface ActionContext {
  state: SandboxState
  /** The authenticated caller's account; undefined only for an unsigned VerifySignature. */
  callerAccountId: string | undefined
  now: Date
  version: ApiVersion
  /** The caller's configured IPN URL, used when a request has no OverrideIPNURL. */
  ipnUrl: string | undefined
  /** How long CC and ACH transactions stay Pending. */
  settlementDelayMs: number
  /** How long a reservation is held before it expires unsettled. */
  reserveExpiryMs: number
  /** Called after each transaction change, for IPNs and completion scheduling. */
  onTransaction: (txn: Transaction) => void
  onTokenCancelled: (token: Token, ipnUrl: string | undefined) => void
  /** Checks an RSA-SHA1 signature the sandbox made (VerifySignature). */
  verifyOutbound: (endpoint: string, params: Record<string, string>) => boolean
}

/** The caller an action runs for; every action but VerifySignature needs one. */
export function requireCaller(ctx: ActionContext): string {
  if (ctx.callerAccountId === undefined)
    throw new Error('requireCaller: the request was not authenticated')
  return ctx.callerAccountId
}
