import { performance } from 'node:perf_hooks'
import { type PaymentsContext, timestamp } from '../payments/context.js'
import type { NextStep, StoredEvent } from '../store/events.js'
import type { Destination, Tried } from './destinations.js'
import { eventView } from './view.js'

/** What the delivery loop needs of the signer: its store, clock, logger and lease length. */
export type OutboxContext = Pick<PaymentsContext, 'store' | 'now' | 'log' | 'config'>

/** A webhook is tried for at least this long before it is given up, as Stripe and Svix do. */
export const GIVE_UP_AFTER_MS = 3 * 24 * 60 * 60_000
/** The wait after the first failed try; each further failure doubles it, up to an hour. */
const FIRST_RETRY_MS = 10_000
const LONGEST_WAIT_MS = 60 * 60_000
/** Events tried at once, each of a different order. */
const BATCH = 10
/** How often the loop looks for due events when the last look found none. */
const POLL_MS = 200
/** The longest a handler's error is kept in the record of a try. */
const ERROR_LENGTH = 500

/** The wait after the `failures`th failed try in a row: 10 s, 20 s, 40 s, … then hourly. */
export function retryDelayMs(failures: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** (failures - 1), LONGEST_WAIT_MS)
}

/** The running delivery loop. */
export interface Delivery {
  /** Stops looking for events and waits for the tries in flight, for at most their lease. */
  stop(): Promise<void>
}

/**
 * Delivers the outbox in the background, apart from any request: a slow or failing destination
 * holds back only the events of the same order, and a handler that never settles only its own
 * slot of the `BATCH` tried at once. Each try is claimed with a lease in the store, so among
 * several signer processes one tries an event at a time; the lease is renewed while the try
 * runs. The backoff lives in the store (`nextAttemptAt`), so a restart resumes it.
 */
export function startDelivery(ctx: OutboxContext, destination: Destination): Delivery {
  const stopping = new AbortController()
  const inFlight = new Set<Promise<void>>()
  let timer: NodeJS.Timeout | undefined
  let looking: Promise<void> | undefined

  /** Starts a try of each event due now (the first pending one of each order) that has room. */
  const look = async (): Promise<boolean> => {
    const room = BATCH - inFlight.size
    if (room <= 0) return false
    const due = await ctx.store.dueEvents(timestamp(ctx), room)
    for (const event of due) {
      const trying = deliverOne(ctx, destination, event, stopping.signal)
        .catch((error: unknown) => {
          ctx.log.warn('an event could not be tried; it is tried again', { event: event.id, error })
        })
        .finally(() => inFlight.delete(trying))
      inFlight.add(trying)
    }
    return due.length === room
  }
  const schedule = (delayMs: number) => {
    if (stopping.signal.aborted) return
    timer = setTimeout(() => {
      looking = look().then(
        (more) => schedule(more ? 0 : POLL_MS),
        (error: unknown) => {
          ctx.log.warn('the outbox could not be read; events are tried again shortly', { error })
          schedule(POLL_MS)
        }
      )
    }, delayMs)
    timer.unref()
  }
  schedule(0)

  return {
    async stop() {
      stopping.abort()
      clearTimeout(timer)
      await looking
      // a try still running past its lease is another process's to make again
      let lapsed: NodeJS.Timeout | undefined
      await Promise.race([
        Promise.all(inFlight),
        new Promise((resolve) => {
          lapsed = setTimeout(resolve, ctx.config.leaseMs)
        }),
      ])
      clearTimeout(lapsed)
    },
  }
}

async function deliverOne(
  ctx: OutboxContext,
  destination: Destination,
  due: StoredEvent,
  stopping: AbortSignal
): Promise<void> {
  const { leaseMs } = ctx.config
  const event = await ctx.store.claimEvent(due.id, timestamp(ctx), timestamp(ctx, leaseMs))
  if (!event) return
  const log = ctx.log.child({ event: event.id, type: event.type, attempt: event.attempts })
  const renewal = setInterval(() => {
    ctx.store.renewEvent(event.id, event.attempts, timestamp(ctx, leaseMs)).catch((error) => {
      log.warn('the lease of a delivery in flight could not be renewed', { error })
    })
  }, leaseMs / 3)
  const stopRenewing = () => clearInterval(renewal)
  stopping.addEventListener('abort', stopRenewing)
  const at = timestamp(ctx)
  const started = performance.now()
  let tried: Tried
  try {
    tried = await destination.deliver(eventView(event))
  } catch (error) {
    tried = { error: String((error as Error)?.message ?? error).slice(0, ERROR_LENGTH) }
  } finally {
    stopRenewing()
    stopping.removeEventListener('abort', stopRenewing)
  }
  const durationMs = Math.round(performance.now() - started)
  const next = nextStep(ctx, destination, event, tried)
  const { statusCode, error } = tried
  await ctx.store.recordAttempt(
    { eventId: event.id, attempt: event.attempts, at, durationMs, statusCode, error },
    next
  )
  const fields = { durationMs, ...(statusCode ? { statusCode } : {}), ...(error ? { error } : {}) }
  if (next.state === 'delivered') log.info('event delivered', fields)
  else if (next.state === 'failed') log.error('event given up after 3 days of tries', fields)
  else log.warn('event delivery failed; it is tried again', { ...fields, next: next.nextAttemptAt })
}

/** Delivered; else tried again after the backoff, or given up by a destination that gives up. */
function nextStep(
  ctx: OutboxContext,
  destination: Destination,
  event: StoredEvent,
  tried: Tried
): NextStep {
  if (tried.error === undefined) return { state: 'delivered', at: timestamp(ctx) }
  const since = Date.parse(event.deliverSince ?? timestamp(ctx))
  if (destination.givesUp && ctx.now().getTime() - since >= GIVE_UP_AFTER_MS) {
    return { state: 'failed' }
  }
  return { state: 'pending', nextAttemptAt: timestamp(ctx, retryDelayMs(event.failures + 1)) }
}
