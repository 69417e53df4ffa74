import type { Store } from '@fps-checkout/signer'

/** Where in a purchase a kill -9 landed, judged afterwards from the database and the ledger. */
export const KILL_POINTS = {
  checkout_unsaved: 'during checkout, before the order was stored',
  checkout_answer_lost: 'during checkout, order stored, answer never sent',
  checkout_answered: 'after the checkout was answered',
  return_unverified: 'during the return, before the authorization was stored',
  return_authorized: 'during the return, authorized, no Pay stored yet',
  return_pay_stored: 'during the return, Pay stored, FPS had not committed it',
  return_pay_committed: 'during the return, Pay committed by FPS, answer not stored',
  return_paid: 'during the return, Pay answered and stored, buyer not answered',
  return_answered: 'after the return was answered',
} as const

export type KillPoint = keyof typeof KILL_POINTS

/** Judges a kill during the checkout from whether it answered and what the store holds. */
export async function checkoutKillPoint(
  store: Store,
  idempotencyKey: string,
  answered: boolean
): Promise<KillPoint> {
  if (answered) return 'checkout_answered'
  const order = await store.getOrderByIdempotencyKey(idempotencyKey)
  return order ? 'checkout_answer_lost' : 'checkout_unsaved'
}

/** Judges a kill during the return from the order, its stored Pay and whether FPS charged. */
export async function returnKillPoint(
  store: Store,
  callerReference: string,
  answered: boolean,
  charged: boolean
): Promise<KillPoint> {
  if (answered) return 'return_answered'
  const order = await store.getOrder(callerReference)
  if (order?.status === 'created') return 'return_unverified'
  const operations = await store.listOperations(callerReference)
  const operation = operations.find(({ kind }) => kind === 'pay' || kind === 'reserve')
  if (!operation) return 'return_authorized'
  if (operation.state !== 'prepared') return 'return_paid'
  return charged ? 'return_pay_committed' : 'return_pay_stored'
}
