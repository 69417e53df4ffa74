import type { Operation, OperationOutcome } from '../../store/types.js'
import { type PaymentsContext, timestamp } from '../context.js'
import { isVerdict, type Prepared } from '../fps.js'
import type { MoneyAction } from './rules.js'

type Log = PaymentsContext['log']

/**
 * Sends a claimed operation's stored request and answers FPS's verdict on it: its answer, or its
 * refusal. The lease is renewed every third of the lease while the send is in flight, so no other
 * request or process sends the same stored request meanwhile. Without a verdict it throws.
 */
export async function send(
  ctx: PaymentsContext,
  operation: Operation,
  log: Log
): Promise<OperationOutcome> {
  const prepared = JSON.parse(operation.request) as Prepared<MoneyAction>
  const renewal = setInterval(() => {
    renew(ctx, operation, log).catch((error: unknown) => {
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
    return {
      state: 'done',
      at: timestamp(ctx),
      requestId: result.requestId,
      ...(result.TransactionId === undefined ? {} : { transactionId: result.TransactionId }),
      ...(status === undefined ? {} : { transactionStatus: status }),
    }
  } catch (error) {
    if (!isVerdict(error, prepared.action)) throw error
    log.warn('refused by FPS', { error })
    return {
      state: 'failed',
      at: timestamp(ctx),
      errorCode: error.code,
      errorMessage: error.message,
      ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
    }
  } finally {
    clearInterval(renewal)
  }
}

async function renew(ctx: PaymentsContext, operation: Operation, log: Log): Promise<void> {
  const leaseUntil = timestamp(ctx, ctx.config.leaseMs)
  if (!(await ctx.store.renewOperation(operation.key, operation.attempts, leaseUntil))) {
    log.warn('the lease of a send in flight was not renewed')
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
  log: Log
): Promise<string> {
  try {
    const answer = await ctx.fps.call('GetTransactionStatus', { TransactionId: transactionId })
    return answer.TransactionStatus
  } catch (error) {
    log.warn('the status of a resent payment could not be asked', { error })
    return 'Pending'
  }
}
