import type { RequestOf } from '@fps-checkout/protocol'
import type { Operation, OperationKind, OperationOutcome } from '../../store/types.js'
import { LATE, orLate, type PaymentsContext, timestamp } from '../context.js'
import { applyOperation, applyStatus, type StatusReport } from './apply.js'
import { ACTIONS } from './rules.js'
import { send } from './send.js'

/** One money-moving call: its unique key, what it belongs to, and the FPS request's parameters. */
export interface OperationSpec<K extends OperationKind> {
  key: string
  kind: K
  callerReference: string
  fpsCallerReference?: string
  amountCents?: number
  params: RequestOf<(typeof ACTIONS)[K]>
}

/** How long a caller waits for another process's send of the same operation before answering. */
const WAIT_FOR_OTHER_MS = 15_000
const POLL_MS = 100

/**
 * The whole life of an operation: signs and stores its request under its key (or finds the one
 * stored earlier, which wins: a resend must be byte-identical), then drives it to FPS's verdict.
 */
export async function perform<K extends OperationKind>(
  ctx: PaymentsContext,
  spec: OperationSpec<K>
): Promise<{ operation: Operation; inserted: boolean }> {
  const { inserted, operation } = await ctx.store.insertOperation(prepare(ctx, spec))
  return { operation: await drive(ctx, operation.key), inserted }
}

/**
 * A refund's {@link perform}: its amount is taken from what the order has left to refund in the
 * transaction that stores it, so a crash can neither lose the refund nor keep the amount without
 * it. Undefined if the order has not that much left.
 */
export async function performRefund(
  ctx: PaymentsContext,
  spec: OperationSpec<'refund'> & { amountCents: number }
): Promise<{ operation: Operation; inserted: boolean } | undefined> {
  const stored = await ctx.store.insertRefund({
    ...prepare(ctx, spec),
    amountCents: spec.amountCents,
  })
  return stored && { operation: await drive(ctx, stored.operation.key), inserted: stored.inserted }
}

/** The operation to store: the spec with its FPS request signed. */
function prepare<K extends OperationKind>(ctx: PaymentsContext, spec: OperationSpec<K>) {
  return {
    key: spec.key,
    kind: spec.kind,
    callerReference: spec.callerReference,
    fpsCallerReference: spec.fpsCallerReference,
    amountCents: spec.amountCents,
    request: JSON.stringify(ctx.fps.prepare(ACTIONS[spec.kind], spec.params)),
    at: timestamp(ctx),
  }
}

/**
 * Sends a stored operation if this process can take its lease, records FPS's verdict and applies
 * it to the order; otherwise waits a while for the process that holds the lease. Answers the
 * operation as it then stands: finished, or still prepared (in flight here or elsewhere). On a
 * request's context the answer comes by its deadline, the send going on behind it.
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
    if (claimed) return within(ctx, complete(ctx, claimed), key)
    const current = await stored(ctx, key)
    if (current.state !== 'prepared') {
      await applyOperation(ctx, current, false)
      return current
    }
    if (Date.now() >= deadline) return current
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
}

/**
 * Records a transaction status FPS reported after its answer (an IPN, a status query) and
 * applies it to the order.
 */
export async function report(
  ctx: PaymentsContext,
  operation: Operation,
  reported: Omit<StatusReport, 'first'>
): Promise<void> {
  const first = await ctx.store.updateTransactionStatus(
    operation.key,
    reported.status,
    timestamp(ctx)
  )
  await applyStatus(ctx, operation, { ...reported, first })
}

/**
 * Brings a stored operation up to date with FPS: one without an answer is sent again, a
 * transaction reported Pending is asked about with `GetTransactionStatus`, and any other has its
 * outcome applied to the order again.
 */
export async function refresh(ctx: PaymentsContext, operation: Operation): Promise<void> {
  if (operation.state === 'prepared') {
    await drive(ctx, operation.key, 0)
  } else if (operation.transactionId && operation.transactionStatus === 'Pending') {
    const answer = await ctx.fps.call('GetTransactionStatus', {
      TransactionId: operation.transactionId,
    })
    await report(ctx, operation, {
      status: answer.TransactionStatus,
      source: 'GetTransactionStatus',
      ...(answer.StatusCode === undefined ? {} : { statusCode: answer.StatusCode }),
    })
  } else {
    await applyOperation(ctx, operation, false)
  }
}

/**
 * Sends a claimed operation, then records the verdict and applies it to the order. Without a
 * verdict the lease is given up, so the next attempt sends the stored request again.
 */
async function complete(ctx: PaymentsContext, claimed: Operation): Promise<Operation> {
  const log = ctx.log.child({ operation: claimed.key, attempt: claimed.attempts })
  try {
    return await finish(ctx, claimed.key, await send(ctx, claimed, log))
  } catch (error) {
    log.warn('FPS gave no verdict; the stored request will be sent again', { error })
    await ctx.store.releaseOperation(claimed.key, timestamp(ctx))
    throw error
  }
}

/** Records FPS's verdict (the first recorded wins) and applies it to the order. */
async function finish(ctx: PaymentsContext, key: string, outcome: OperationOutcome) {
  const finished = await ctx.store.finishOperation(key, outcome)
  const operation = finished ?? (await stored(ctx, key))
  await applyOperation(ctx, operation, finished !== undefined)
  return operation
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
  return stored(ctx, key)
}

async function stored(ctx: PaymentsContext, key: string): Promise<Operation> {
  const operation = await ctx.store.getOperation(key)
  if (!operation) throw new Error(`The operation ${key} is not stored.`)
  return operation
}
