import type { TransactionStatus } from '@fps-checkout/protocol'
import type { OperationKind, OrderStatus } from '../../store/types.js'

/** A conditional move of an order: the states it may leave and the one it reaches. */
export interface Rule {
  from: readonly OrderStatus[]
  to: OrderStatus
}

/** The FPS action each kind of operation sends; each runs as one stored operation. */
export const ACTIONS = {
  pay: 'Pay',
  reserve: 'Reserve',
  settle: 'Settle',
  refund: 'Refund',
  cancel: 'Cancel',
} as const satisfies Record<OperationKind, string>

/** The FPS actions that move money. */
export type MoneyAction = (typeof ACTIONS)[OperationKind]

/**
 * How a transaction status reported for an operation moves its order. Each rule names the states
 * it may leave, so a late or repeated report (a PENDING IPN after SUCCESS) changes nothing.
 */
const STATUS_RULES: Record<OperationKind, Partial<Record<TransactionStatus, Rule>>> = {
  pay: {
    Pending: { from: ['pending'], to: 'pending' },
    Success: { from: ['pending'], to: 'success' },
    Failure: { from: ['pending'], to: 'failure' },
    Cancelled: { from: ['pending'], to: 'cancelled' },
  },
  reserve: {
    Pending: { from: ['pending'], to: 'pending' },
    Reserved: { from: ['pending'], to: 'reserved' },
    Failure: { from: ['pending'], to: 'failure' },
    Cancelled: { from: ['pending', 'reserved'], to: 'cancelled' },
  },
  settle: { Success: { from: ['reserved'], to: 'success' } },
  refund: { Success: { from: ['success', 'refunded'], to: 'refunded' } },
  cancel: { Cancelled: { from: ['pending', 'reserved'], to: 'cancelled' } },
}

/** A reservation FPS cancelled because it was not settled in time (status code `Expired`). */
const LAPSED: Rule = { from: ['reserved'], to: 'expired' }

/** A Pay or Reserve FPS refused for good fails its order; other refusals move nothing. */
const REFUSED: Partial<Record<OperationKind, Rule>> = {
  pay: { from: ['pending'], to: 'failure' },
  reserve: { from: ['pending'], to: 'failure' },
}

/** How a reported status moves the order, and the word its history line gives; none if it does not. */
export function statusRule(
  kind: OperationKind,
  status: TransactionStatus,
  statusCode?: string
): { rule: Rule; told: string } | undefined {
  if (kind === 'reserve' && status === 'Cancelled' && statusCode === 'Expired') {
    return { rule: LAPSED, told: 'Expired' }
  }
  const rule = STATUS_RULES[kind][status]
  return rule ? { rule, told: status } : undefined
}

/** How FPS's refusal of an operation moves its order, if at all. */
export function refusalRule(kind: OperationKind): Rule | undefined {
  return REFUSED[kind]
}

/**
 * Whether an operation's transaction id is the order's own payment (its Pay, Reserve or Settle),
 * which a move records on the order, rather than a refund's or a cancel's.
 */
export function ownsTransaction(kind: OperationKind): boolean {
  return kind === 'pay' || kind === 'reserve' || kind === 'settle'
}
