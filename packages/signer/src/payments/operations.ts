import { FpsError, type RequestOf } from '@fps-checkout/protocol'
import type { Operation, OperationKind, OperationOutcome } from '../store/types.js'
import { LATE, orLate, type PaymentsContext, timestamp } from './context.js'
import { isCallerRefusal, type Prepared } from './fps.js'
import { applyOperation } from './outcomes.js'

/** The FPS actions that move money; each runs as one stored operation. */
export type MoneyAction = 'Pay' | 'Reserve' | 'Settle' | 'Refund' | 'Cancel'

/** One money-moving call: its unique key, what it belongs to, and the FPS request. */
export interface OperationSpec<A extends MoneyAction> {
  key: string
  kind: OperationKind
  callerReference: string
  fpsCallerReference?: string
  amountCents?: number
  action: A
  params: RequestOf<A>
}

/**
 * The key of each stored operation of an order; the database lets each exist once, so a retry, a
 * second process or the sweep finds the request stored first instead of making a second one.
 */
export const operationKey = {
  /** The order's one Pay or Reserve. */
  charge: (callerReference: string) => `charge:${callerReference}`,
  /** The Settle of the order's reservation. */
  settle: (callerReference: string) => `settle:${callerReference}`,
  /** The Cancel of the order's pending payment or reservation. */
  cancel: (callerReference: string) => `cancel:${callerReference}`,
  /** One refund, by its own FPS CallerReference (see {@link refundReference}). */
  refund: (refundReference: string) => `refund:${refundReference}`,
} as const

/** The CallerReference of an order's `number`th refund: FPS needs a fresh one for each refund. */
export function refundReference(callerReference: string, number: number): string {
  return `${callerReference}-refund-${number}`
}

/** How long a caller waits for another process's send of the same operation before answering. */
const WAIT_FOR_OTHER_MS = 15_000
const POLL_MS = 100

/**
 * Stores the signed request under the operation's key (or finds the one stored earlier, which
 * wins: a resend must be byte-identical), then drives it to FPS's answer and applies that to the
 * order.
 */
export async function perform<A extends MoneyAction>(
  ctx: PaymentsContext,
  spec: OperationSpec<A>
): Promise<{ operation: Operation; inserted: boolean }> {
  const { inserted, operation } = await ctx.store.insertOperation({
    key: spec.key,
    kind: spec.kind,
    callerReference: spec.callerReference,
    fpsCallerReference: spec.fpsCallerReference,
    amountCents: spec.amountCents,
    request: JSON.stringify(ctx.fps.prepare(spec.action, spec.params)),
    at: timestamp(ctx),
  })
  return { operation: await drive(ctx, operation.key), inserted }
}

/**
 * Sends a prepared operation if this process can take its lease; otherwise waits a while for the
 * process that holds it. Answers the operation as it then stands, its outcome applied to the
 * order: finished, or still prepared (in flight here or elsewhere). On a request's context the
 * answer comes by its deadline, the send going on behind it under its renewed lease.
 */
export async function drive(
  ctx: PaymentsContext,
  key: string,
  waitMs = WAIT_FOR_OTHER_MS
): Promise<Operation> {
  const deadline = Math.min(Date.now() + waitMs, ctx.answerBy ?? Infinity)
  for (;;) {
    const claimed = await ctx.store.claimOperation(
      key,
      timestamp(ctx),
      timestamp(ctx, ctx.config.leaseMs)
    )
    if (claimed) return within(ctx, send(ctx, claimed), key)
    const current = await ctx.store.getOperation(key)
    if (!current) throw new Error(`The operation ${key} is not stored.`)
    if (current.state !== 'prepared') {
      await applyOperation(ctx, current, false)
      return current
    }
    if (Date.now() >= deadline) return current
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
}

/** The send's answer, or past the request's deadline the operation as it stands, the send going on. */
async function within(
  ctx: PaymentsContext,
  sending: Promise<Operation>,
  key: string
): Promise<Operation> {
  const answer = await orLate(ctx, sending)
  if (answer !== LATE) return answer
  sending.catch((error: unknown) => ctx.log.warn('the send behind an answer failed', { error }))
  const current = await ctx.store.getOperation(key)
  if (!current) throw new Error(`The operation ${key} is not stored.`)
  return current
}

/**
 * Sends a claimed operation, renewing its lease every third of the lease while the send is in
 * flight, so no other request or process sends the same stored request meanwhile.
 */
async function send(ctx: PaymentsContext, operation: Operation): Promise<Operation> {
  const prepared = JSON.parse(operation.request) as Prepared<MoneyAction>
  const log = ctx.log.child({ operation: operation.key, attempt: operation.attempts })
  const renew = async () => {
    const leaseUntil = timestamp(ctx, ctx.config.leaseMs)
    if (!(await ctx.store.renewOperation(operation.key, operation.attempts, leaseUntil))) {
      log.warn('the lease of a send in flight was not renewed')
    }
  }
  const renewal = setInterval(() => {
    renew().catch((error: unknown) => {
      log.warn('the lease of a send in flight could not be renewed', { error })
    })
  }, ctx.config.leaseMs / 3)
  log.info('sending', { action: prepared.action })
  try {
    const result = await ctx.fps.sendStored(prepared, async (fresh) => {
      log.warn('request re-signed', { action: prepared.action })
      await ctx.store.replaceRequest(operation.key, JSON.stringify(fresh), timestamp(ctx))
    })
    const status =
      operation.attempts > 1 && result.TransactionId && result.TransactionStatus === 'Pending'
        ? await currentStatus(ctx, result.TransactionId, log)
        : result.TransactionStatus
    return finish(ctx, operation.key, {
      state: 'done',
      at: timestamp(ctx),
      requestId: result.requestId,
      ...(result.TransactionId === undefined ? {} : { transactionId: result.TransactionId }),
      ...(status === undefined ? {} : { transactionStatus: status }),
    })
  } catch (error) {
    if (error instanceof FpsError && !error.retriable && !isCallerRefusal(error)) {
      log.warn('refused by FPS', { error })
      return finish(ctx, operation.key, {
        state: 'failed',
        at: timestamp(ctx),
        errorCode: error.code,
        errorMessage: error.message,
        ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
      })
    }
    log.warn('FPS gave no verdict; the stored request will be sent again', { error })
    await ctx.store.releaseOperation(operation.key, timestamp(ctx))
    throw error
  } finally {
    clearInterval(renewal)
  }
}

/**
 * A resend is answered with FPS's first answer again, `Pending` even when the payment finished
 * since (and its IPNs may have come and gone while the answer was missing): ask FPS, under our
 * own key, how the transaction stands now. Without an answer, Pending stands and the sweep asks.
 */
async function currentStatus(
  ctx: PaymentsContext,
  transactionId: string,
  log: PaymentsContext['log']
): Promise<string> {
  try {
    const answer = await ctx.fps.call('GetTransactionStatus', { TransactionId: transactionId })
    return answer.TransactionStatus
  } catch (error) {
    log.warn('the status of a resent payment could not be asked', { error })
    return 'Pending'
  }
}

async function finish(ctx: PaymentsContext, key: string, outcome: OperationOutcome) {
  const finished = await ctx.store.finishOperation(key, outcome)
  const operation = finished ?? (await ctx.store.getOperation(key))
  if (!operation) throw new Error(`The operation ${key} is not stored.`)
  await applyOperation(ctx, operation, finished !== undefined)
  return operation
}
