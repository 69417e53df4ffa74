import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import type { SignerEvent } from '@fps-checkout/signer'

/** A subscription as its events show it. */
type Subscription = Extract<SignerEvent, { type: 'subscription.charged' }>['data']['subscription']

/** What the shop knows of one subscription, from its events: enough to tell whether it streams. */
export interface StreamingPass {
  /** The order that started the subscription, which its events come on. */
  callerReference: string
  plan: string
  status: Subscription['status']
  /** The end of the last period paid for: the buyer streams until then. */
  paidThrough?: string
  /** The subscription's last change the shop heard of; an older event changes no status. */
  updatedAt: string
}

/** Where a subscriber's streaming stands now. */
export type Access =
  | { state: 'streaming'; until: string }
  /** No period paid for now: the first payment, or a declined one's retry, is still to come. */
  | { state: 'streaming-pending' }
  | { state: 'streaming-ended'; since: string }

/** The shop's streaming passes, one per subscription. */
export interface StreamingPasses {
  get(callerReference: string): StreamingPass | undefined
  /**
   * Takes in a subscription's event: its status (unless an event of a later change came first)
   * and, from `subscription.charged`, the end of the period paid for. Idempotent.
   */
  record(callerReference: string, subscription: Subscription, charged: boolean): void
}

/**
 * Streams while the last period paid for lasts: a cancelled subscription keeps what was paid
 * until its period ends; one that ended (its validity ran out) streams no more; one whose
 * payment is still to come (or is being retried) waits for it.
 */
export function accessOf(pass: StreamingPass, now: Date): Access {
  const { status, paidThrough, updatedAt } = pass
  if (status !== 'ended' && paidThrough && new Date(paidThrough) > now)
    return { state: 'streaming', until: paidThrough }
  if (status === 'active' || status === 'past_due') return { state: 'streaming-pending' }
  // a cancelled subscription stopped when its paid period ran out; an ended one when it ended
  return {
    state: 'streaming-ended',
    since: status === 'cancelled' && paidThrough ? paidThrough : updatedAt,
  }
}

/**
 * The passes, a JSON file keyed by subscription, written like the fulfilments: by this process
 * only, each change through a rename.
 */
export function openStreamingPasses(file: string): StreamingPasses {
  const byReference = new Map<string, StreamingPass>(
    existsSync(file)
      ? Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, StreamingPass>)
      : []
  )
  const save = () => {
    writeFileSync(`${file}.tmp`, JSON.stringify(Object.fromEntries(byReference), null, 2))
    renameSync(`${file}.tmp`, file)
  }
  return {
    get: (callerReference) => byReference.get(callerReference),
    record(callerReference, subscription, charged) {
      const kept = byReference.get(callerReference)
      const later = !kept || subscription.updatedAt >= kept.updatedAt
      // the period paid for ends when the next one falls due; a free trial gives its days
      const paid = charged ? subscription.nextChargeAt : subscription.trialEndsAt
      const paidThrough =
        paid && (!kept?.paidThrough || paid > kept.paidThrough) ? paid : kept?.paidThrough
      const pass: StreamingPass = {
        callerReference,
        plan: subscription.plan,
        status: later ? subscription.status : kept.status,
        ...(paidThrough ? { paidThrough } : {}),
        updatedAt: later ? subscription.updatedAt : kept.updatedAt,
      }
      if (JSON.stringify(pass) === JSON.stringify(kept)) return
      byReference.set(callerReference, pass)
      save()
    },
  }
}
