import { createHash } from 'node:crypto'
import {
  canonicalQuery,
  InvalidParameterError,
  type IpnNotification,
  parseIpn,
  type TransactionStatus,
  type TransactionStatusNotification,
} from '@fps-checkout/protocol'
import { SignerError } from '../errors.js'
import type { Operation, OperationKind } from '../store/types.js'
import { type PaymentsContext, timestamp } from './context.js'
import { applyStatus } from './outcomes.js'

/** What became of a notification. */
export type NotificationResult = 'applied' | 'duplicate' | 'ignored'

const STATUSES: Record<string, TransactionStatus> = {
  SUCCESS: 'Success',
  PENDING: 'Pending',
  INITIATED: 'Pending',
  FAILURE: 'Failure',
  CANCELLED: 'Cancelled',
  RESERVED: 'Reserved',
}

const KINDS: Record<string, OperationKind> = {
  PAY: 'pay',
  RESERVE: 'reserve',
  SETTLE: 'settle',
  REFUND: 'refund',
}

/**
 * Verifies an IPN against the IPN URL, records it once (the database refuses a second copy) and
 * moves the order. Out-of-order copies cannot move an order backwards: every move is conditional.
 */
export async function handleNotification(
  ctx: PaymentsContext,
  params: Record<string, string>,
  endpoint: string
): Promise<NotificationResult> {
  await ctx.fps.verifier.verify({ method: 'POST', endpoint, params })
  let notification: IpnNotification
  try {
    notification = parseIpn(params)
  } catch (error) {
    if (error instanceof InvalidParameterError) {
      throw new SignerError('invalid_request', `The notification is not usable: ${error.message}`)
    }
    throw error
  }
  const { signature: _, ...signed } = params
  const key = createHash('sha256').update(canonicalQuery(signed)).digest('hex')
  const recorded = await ctx.store.recordNotification(
    key,
    notification.callerReference,
    JSON.stringify(params),
    timestamp(ctx)
  )
  if (!recorded) return 'duplicate'
  try {
    return await apply(ctx, notification)
  } catch (error) {
    await ctx.store.forgetNotification(key)
    throw error
  }
}

async function apply(
  ctx: PaymentsContext,
  notification: IpnNotification
): Promise<NotificationResult> {
  if (notification.notificationType !== 'TransactionStatus') return 'ignored'
  const status = STATUSES[notification.transactionStatus.toUpperCase()]
  const operation = status && (await findOperation(ctx, notification))
  if (!status || !operation) {
    ctx.log.warn('notification matches no operation', { transactionId: notification.transactionId })
    return 'ignored'
  }
  const first = await ctx.store.updateTransactionStatus(operation.key, status, timestamp(ctx))
  await applyStatus(ctx, operation, {
    status,
    source: `IPN ${notification.operation ?? 'transaction'}`,
    transactionId: notification.transactionId,
    ...(notification.statusCode === undefined ? {} : { statusCode: notification.statusCode }),
    first,
  })
  return 'applied'
}

/** The operation a notification is about: by transaction id, else by CallerReference. */
async function findOperation(
  ctx: PaymentsContext,
  notification: TransactionStatusNotification
): Promise<Operation | undefined> {
  const kind = KINDS[notification.operation?.toUpperCase() ?? '']
  const byTransaction = await ctx.store.findOperationsByTransaction(notification.transactionId)
  const match =
    byTransaction.find((op) => op.kind === kind) ?? byTransaction.find((op) => op.kind !== 'cancel')
  if (match || !notification.callerReference) return match
  const byReference = await ctx.store.findOperationByReference(notification.callerReference)
  if (byReference && kind === 'settle' && byReference.kind === 'reserve') {
    return ctx.store.getOperation(`settle:${byReference.callerReference}`)
  }
  return byReference
}
