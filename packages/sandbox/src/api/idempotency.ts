import { FpsFault } from '../errors.js'
import type { IdempotencyRecord } from '../state/model.js'
import type { SandboxState } from '../state/store.js'

/** FPS answered a resent request from its record for seven days. */
const IDEMPOTENCY_WINDOW_MS = 7 * 24 * 60 * 60 * 1000
const NOT_PART_OF_REQUEST = new Set([
  'Signature',
  'SignatureMethod',
  'SignatureVersion',
  'Timestamp',
  'Expires',
  'AWSAccessKeyId',
])

/** What makes two requests "the same": every parameter except the signing envelope. */
export function fingerprint(params: Record<string, string>): string {
  const entries = Object.entries(params)
    .filter(([name]) => !NOT_PART_OF_REQUEST.has(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return JSON.stringify(entries)
}

const keyOf = (accountId: string, callerReference: string) => `${accountId}\n${callerReference}`

/**
 * The stored answer to the same request sent before within seven days; a different request with a
 * used CallerReference is `DuplicateRequest`. Undefined means: execute it.
 */
export function replay(
  state: SandboxState,
  accountId: string,
  params: Record<string, string>,
  now: Date
): IdempotencyRecord | undefined {
  const callerReference = params.CallerReference
  if (callerReference === undefined) return undefined
  const key = keyOf(accountId, callerReference)
  const record = state.idempotency.get(key)
  if (!record) return undefined
  if (now.getTime() - record.at > IDEMPOTENCY_WINDOW_MS) {
    state.idempotency.delete(key)
    return undefined
  }
  if (record.fingerprint === fingerprint(params)) return record
  throw new FpsFault(
    'DuplicateRequest',
    `A different request associated with this caller reference already exists: ${callerReference}`
  )
}

/** Remembers the answer to an executed request so a resend gets it back. */
export function remember(
  state: SandboxState,
  accountId: string,
  params: Record<string, string>,
  answer: { status: number; body: string },
  now: Date
): void {
  const callerReference = params.CallerReference
  if (callerReference === undefined) return
  state.idempotency.set(keyOf(accountId, callerReference), {
    fingerprint: fingerprint(params),
    ...answer,
    at: now.getTime(),
  })
}
