import type { Order } from '../store/types.js'
import { type PaymentsContext, timestamp } from './context.js'
import { drive } from './operations/index.js'
import { recoverOrder, refreshOrder } from './recovery.js'
import { refundApproved } from './refund-requests.js'
import { advance } from './subscriptions.js'

/** What one reconciliation sweep did. */
export interface SweepReport {
  /**
   * Stored requests that had no answer, sent again and now answered; and approved refund requests
   * whose refund was never stored, now refunded.
   */
  resent: number
  /** Orders whose buyer never came back, found authorized and charged. */
  recovered: number
  /** Orders whose buyer never came back and never authorized. */
  expired: number
  /** Pending payments that FPS now reports finished. */
  settled: number
  /** Subscription periods found charged (by this sweep, or by another running beside it). */
  charged: number
  /** Orders, operations or store queries that failed this time (logged). */
  failed: number
}

/** How many orders or operations one sweep looks at per step, oldest first. */
const BATCH = 100

/**
 * How many of a step's orders the sweep reconciles at once: each is a call or two to FPS and a
 * write or two, so orders in flight together overlap their waits; 8 stays under PostgreSQL's pool
 * of 10 connections. Beside the one-at-a-time sweep, the sandbox on the same 2 shared cores:
 * SQLite at 1,000,000 orders 1.5-1.9x on a quiet machine, 1.3x under load; PostgreSQL 1.0-1.3x:
 * here the sweep is bound by the CPU of signer, sandbox and database, not by waiting on FPS.
 */
const CONCURRENCY = 8

/**
 * Reconciles what the return page alone cannot, and charges what falls due: a buyer may close
 * the tab after authorizing, a process may die mid-Pay, a card payment may stay Pending, a
 * subscription's period begins. Safe to run from several processes, and it never rejects:
 * whatever fails (an order, or the store itself) is logged and counted.
 */
export async function sweep(ctx: PaymentsContext): Promise<SweepReport> {
  const report: SweepReport = {
    resent: 0,
    recovered: 0,
    expired: 0,
    settled: 0,
    charged: 0,
    failed: 0,
  }
  const attempt = async <T>(what: string, run: () => Promise<T>) => {
    try {
      return await run()
    } catch (error) {
      report.failed += 1
      ctx.log.warn('sweep could not reconcile', { what, error })
      return undefined
    }
  }

  const stalled = await attempt('stalled operations', () =>
    ctx.store.listStalledOperations(timestamp(ctx), BATCH)
  )
  await reconcileEach(stalled, async (operation) => {
    const after = await attempt(operation.key, () => drive(ctx, operation.key, 0))
    if (after && after.state !== 'prepared') report.resent += 1
  })
  const approvals = await attempt('approved refund requests', () =>
    ctx.store.listUnrefundedApprovals(BATCH)
  )
  await reconcileEach(approvals, async (request) => {
    const refunded = await attempt(request.id, async () => {
      await refundApproved(ctx, request)
      return true
    })
    if (refunded) report.resent += 1
  })
  const unreturned = await attempt('unreturned orders', () => stale(ctx, 'created'))
  await reconcileEach(unreturned, async (order) => {
    const after = await attempt(order.callerReference, () => recoverOrder(ctx, order))
    if (after?.status === 'expired') report.expired += 1
    else if (after && after.status !== 'created') report.recovered += 1
  })
  const pending = await attempt('pending orders', () => stale(ctx, 'pending'))
  await reconcileEach(pending, async (order) => {
    const after = await attempt(order.callerReference, () => refreshOrder(ctx, order))
    if (after && after.status !== 'pending') report.settled += 1
  })
  const due = await attempt('due subscriptions', () =>
    ctx.store.dueSubscriptions(timestamp(ctx), BATCH)
  )
  await reconcileEach(due, async (subscription) => {
    const after = await attempt(subscription.callerReference, () => advance(ctx, subscription))
    if (after && after.chargedPeriods > subscription.chargedPeriods) report.charged += 1
  })
  ctx.log.info('sweep finished', { ...report })
  return report
}

/**
 * Runs `work` on each item, {@link CONCURRENCY} at a time; the items of one order (its stalled
 * operations, its refund requests) one after another in the list's order, as a sweep one item at
 * a time ran them. `work` must not reject.
 */
async function reconcileEach<T extends { callerReference: string }>(
  items: readonly T[] | undefined,
  work: (item: T) => Promise<void>
): Promise<void> {
  const byOrder = new Map<string, T[]>()
  for (const item of items ?? []) {
    const same = byOrder.get(item.callerReference)
    if (same) same.push(item)
    else byOrder.set(item.callerReference, [item])
  }
  const queue = [...byOrder.values()]
  let next = 0
  const worker = async () => {
    for (let group = queue[next++]; group; group = queue[next++]) {
      for (const item of group) await work(item)
    }
  }
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, worker))
}

function stale(ctx: PaymentsContext, status: 'created' | 'pending'): Promise<Order[]> {
  return ctx.store.listOrders({
    status: [status],
    updatedBefore: timestamp(ctx, -ctx.config.recoverAfterMs),
    oldestFirst: true,
    limit: BATCH,
  })
}
