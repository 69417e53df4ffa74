import type { Harness } from '@fps-checkout/signer/testing'
import { type Mutation, mutate, sameMessage } from './mutations.js'

/** A genuine signed message: a return's query string or an IPN's form body, as FPS sent it. */
export interface Genuine {
  kind: 'return' | 'ipn'
  bytes: Buffer
}

/** What the signer answered a mutated message, or that the mutation changed nothing it reads. */
export type Verdict = 'equivalent' | { status: number; code: string }

/** The text the signer decodes a message to: returns arrive as a JSON string, IPNs as UTF-8. */
function textOf(kind: Genuine['kind'], bytes: Uint8Array): string | undefined {
  if (kind === 'return') return Buffer.from(bytes).toString('latin1')
  const text = Buffer.from(bytes).toString('utf8')
  return Buffer.from(text).equals(bytes) ? text : undefined
}

/** Posts a mutation of a genuine message to the signer's /return or /ipn over HTTP. */
export async function sendMutation(h: Harness, genuine: Genuine, m: Mutation): Promise<Verdict> {
  const bytes = mutate(genuine.bytes, m)
  const text = textOf(genuine.kind, bytes)
  if (text !== undefined && sameMessage(textOf(genuine.kind, genuine.bytes) ?? '', text))
    return 'equivalent'
  const response =
    genuine.kind === 'return'
      ? await h.request('/return', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: Buffer.from(bytes).toString('latin1') }),
        })
      : await h.request('/ipn', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: bytes,
        })
  return { status: response.status, code: errorCode(response.status, await response.text()) }
}

/** The signer's error code in a JSON answer, `accepted` for a 2xx, or words saying what came. */
function errorCode(status: number, body: string): string {
  if (status < 400) return 'accepted'
  try {
    const code = (JSON.parse(body) as { error?: { code?: unknown } }).error?.code
    if (typeof code === 'string') return code
  } catch {
    // Not JSON: said below.
  }
  return `HTTP ${status} without a JSON error`
}

/** A mutation in a few words, for the report of those the signer took. */
export function describeMutation(genuine: Genuine, m: Mutation): string {
  return `${genuine.kind}: ${JSON.stringify(m)}`
}
