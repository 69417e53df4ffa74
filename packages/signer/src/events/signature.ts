import { createHmac, timingSafeEqual } from 'node:crypto'
import { ConfigError, SignerError } from '../errors.js'
import type { SignerEvent } from '../http/contract.js'

/** How far a webhook's timestamp may be from the receiver's clock, as Standard Webhooks advises. */
const TOLERANCE_SECONDS = 5 * 60

/** `whsec_` and the base64 of 24 to 64 bytes, as Standard Webhooks gives secrets. */
const SECRET = /^whsec_([A-Za-z0-9+/]+={0,2})$/

/** The three headers a Standard Webhooks message carries (a type, so it passes as a header record). */
export type WebhookHeaders = {
  'webhook-id': string
  'webhook-timestamp': string
  'webhook-signature': string
}

/** The HMAC key of a `whsec_…` secret (its base64 part, decoded); undefined if it is not one. */
export function webhookKey(secret: string): Buffer | undefined {
  const base64 = SECRET.exec(secret)?.[1]
  const key = base64 === undefined ? undefined : Buffer.from(base64, 'base64')
  return key && key.length >= 24 && key.length <= 64 ? key : undefined
}

/** The headers that sign `body` as message `id` at `at`: `v1,` and the base64 HMAC-SHA256 of `id.timestamp.body`. */
export function signWebhook(key: Buffer, id: string, at: Date, body: string): WebhookHeaders {
  const timestamp = String(Math.floor(at.getTime() / 1000))
  return {
    'webhook-id': id,
    'webhook-timestamp': timestamp,
    'webhook-signature': `v1,${digest(key, id, timestamp, body)}`,
  }
}

/**
 * A webhook that does not verify: a header missing, a timestamp too far from now (a replay, or a
 * wrong clock), or no signature matching the body under the secret. Answer it 400 and drop it.
 */
export class WebhookVerificationError extends SignerError {
  override name = 'WebhookVerificationError'

  constructor(message: string) {
    super('signature_invalid', message)
  }
}

/** What `verifyWebhook` takes besides the message: a clock, for tests. */
export interface VerifyWebhookOptions {
  now?: Date
}

/**
 * Verifies a webhook from the signer (or any Standard Webhooks sender) and answers its event.
 * `body` is the raw body, exactly as received: parsed and serialized again, it no longer
 * verifies. `headers` is a `Headers` object or Node's `req.headers`. Throws a
 * `WebhookVerificationError` saying what is wrong, and a `ConfigError` for a malformed secret.
 *
 * @example
 * const event = verifyWebhook(process.env.FPS_WEBHOOK_SECRET!, request.headers, await request.text())
 */
export function verifyWebhook(
  secret: string,
  headers: Headers | Record<string, string | string[] | undefined>,
  body: string | Uint8Array,
  { now = new Date() }: VerifyWebhookOptions = {}
): SignerEvent {
  const key = webhookKey(secret)
  if (!key) throw new ConfigError('secret', 'must be whsec_ and the base64 of 24 to 64 bytes')
  const header = (name: keyof WebhookHeaders) => {
    const value = headers instanceof Headers ? headers.get(name) : headers[name]
    return Array.isArray(value) ? value[0] : (value ?? undefined)
  }
  const id = header('webhook-id')
  const timestamp = header('webhook-timestamp')
  const signatures = header('webhook-signature')
  if (!id || !timestamp || !signatures) {
    throw new WebhookVerificationError(
      'The webhook lacks its webhook-id, webhook-timestamp or webhook-signature header.'
    )
  }
  const skew = Math.abs(Math.floor(now.getTime() / 1000) - Number(timestamp))
  if (!/^\d+$/.test(timestamp) || skew > TOLERANCE_SECONDS) {
    throw new WebhookVerificationError(
      `The webhook's timestamp (${timestamp.slice(0, 20)}) is not within ${TOLERANCE_SECONDS} s of now: a message replayed later, or a clock that is wrong.`
    )
  }
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8')
  const expected = Buffer.from(digest(key, id, timestamp, text))
  const matches = signatures.split(' ').some((signature) => {
    const [version, value = ''] = signature.split(',')
    const given = Buffer.from(value)
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected)
  })
  if (!matches) {
    throw new WebhookVerificationError(
      'No v1 signature of the webhook matches its body under this secret: the body was changed (or parsed and serialized again), or the secret is not the sender’s.'
    )
  }
  return JSON.parse(text) as SignerEvent
}

function digest(key: Buffer, id: string, timestamp: string, body: string): string {
  return createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')
}
