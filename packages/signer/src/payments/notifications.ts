import { createHash } from 'node:crypto'
import {
  canonicalQuery,
  InvalidParameterError,
  type IpnNotification,
  parseFpsAmount,
  parseIpn,
  type TransactionStatus,
  type TransactionStatusNotification,
} from '@fps-checkout/protocol'
import { SignerError } from '../errors.js'
import type { Operation, OperationKind } from '../store/types.js'
import type { UnboundReason } from './binding.js'
import { type PaymentsContext, timestamp } from './context.js'
import { drive, operationKey, report } from './operations/index.js'
import { tokenCancelled } from './subscriptions.js'

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
  if (notification.notificationType === 'TokenCancellation') {
    return (await tokenCancelled(ctx, notification.tokenId)) ? 'applied' : 'ignored'
  }
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
  const binding = await bind(ctx, notification)
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
  await report(ctx, binding.operation, {
    status,
    source: `IPN ${notification.operation ?? 'transaction'}`,
    ...(notification.statusCode === undefined ? {} : { statusCode: notification.statusCode }),
  })
  return 'applied'
}

const KINDS: Record<string, OperationKind> = {
  PAY: 'pay',
  RESERVE: 'reserve',
  SETTLE: 'settle',
  REFUND: 'refund',
}

/** The operation an IPN is bound to, or why it is bound to none. */
type Binding = { operation: Operation } | { reason: UnboundReason } | { inFlight: Operation }

/**
 * Binds a transaction notification to one of our operations by its transaction id, which only
 * FPS's answer to our own signed request gave us. The CallerReference a notification carries is
 * never enough: another caller may use ours. When our operation under that CallerReference has
 * no answer yet, it is sent again here (FPS answers a resend with the original transaction); if
 * another process holds it, the notification waits for FPS to resend it.
 */
async function bind(
  ctx: PaymentsContext,
  notification: TransactionStatusNotification
): Promise<Binding> {
  const kind = KINDS[notification.operation?.toUpperCase() ?? '']
  let matches = await ctx.store.findOperationsByTransaction(notification.transactionId)
  if (matches.length === 0) {
    const reference = notification.callerReference
    const ours = reference ? await ctx.store.findOperationByReference(reference) : undefined
    if (ours?.state !== 'prepared') return { reason: 'transaction_unknown' }
    if ((await drive(ctx, ours.key, 0)).state === 'prepared') return { inFlight: ours }
    matches = await ctx.store.findOperationsByTransaction(notification.transactionId)
    if (matches.length === 0) return { reason: 'transaction_unknown' }
  }
  let operation = kind
    ? matches.find((candidate) => candidate.kind === kind)
    : matches.find((candidate) => candidate.kind !== 'cancel')
  const reserve = matches.find((candidate) => candidate.kind === 'reserve')
  if (!operation && kind === 'settle' && reserve) {
    // FPS settles a reservation under the reservation's transaction id
    const settle = await ctx.store.getOperation(operationKey.settle(reserve.callerReference))
    operation = settle?.state === 'prepared' ? await drive(ctx, settle.key, 0) : settle
    if (operation?.state === 'prepared') return { inFlight: operation }
  }
  if (!operation) return { reason: 'operation_mismatch' }
  const amount = notification.transactionAmount
  if (
    amount &&
    operation.amountCents !== undefined &&
    (amount.currencyCode !== 'USD' || parseFpsAmount(amount.value) !== operation.amountCents)
  ) {
    return { reason: 'amount_mismatch' }
  }
  return { operation }
}
