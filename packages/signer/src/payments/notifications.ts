import { createHash } from 'node:crypto'
import {
  canonicalQuery,
  InvalidParameterError,
  type IpnNotification,
  parseIpn,
  type TransactionStatus,
} from '@fps-checkout/protocol'
import { SignerError } from '../errors.js'
import { bindNotification } from './binding.js'
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

/**
 * Verifies an IPN against the IPN URL, records it once (the database refuses a second copy) and
 * moves the order, but only when it is bound to one of our own operations by its transaction id.
 * Out-of-order copies cannot move an order backwards: every move is conditional.
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
  const facts = {
    transactionId: notification.transactionId,
    callerReference: notification.callerReference,
    operation: notification.operation,
  }
  if (!status) {
    ctx.log.warn('notification ignored', { reason: 'status_unknown', ...facts })
    return 'ignored'
  }
  const binding = await bindNotification(ctx, notification)
  if ('inFlight' in binding) {
    ctx.log.info('notification deferred: its operation has no answer yet', facts)
    throw new SignerError(
      'operation_in_flight',
      'The operation this notification is about has not been answered yet; send it again later.',
      { retryAfter: 5 }
    )
  }
  if ('reason' in binding) {
    ctx.log.warn('notification not bound to this caller', { reason: binding.reason, ...facts })
    return 'ignored'
  }
  const { operation } = binding
  const first = await ctx.store.updateTransactionStatus(operation.key, status, timestamp(ctx))
  await applyStatus(ctx, operation, {
    status,
    source: `IPN ${notification.operation ?? 'transaction'}`,
    ...(notification.statusCode === undefined ? {} : { statusCode: notification.statusCode }),
    first,
  })
  return 'applied'
}
