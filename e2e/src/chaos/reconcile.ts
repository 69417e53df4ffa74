import type { Order, Store } from '@fps-checkout/signer'
import type { Harness } from '@fps-checkout/signer/testing'

/** An order whose state says something about money that the sandbox's ledger does not. */
export interface Mismatch {
  callerReference: string
  status: Order['status']
  problem: string
}

/** What the ledger says of one order: the merchant's own charges under its callerReference. */
interface Charge {
  id: string
  status: string
  amount: number
}

/** The statuses that claim the buyer's money moved to the merchant (or is held for it). */
const PAID = new Set<Order['status']>(['success', 'refunded', 'reserved'])
/** The statuses that claim no money moved. */
const UNPAID = new Set<Order['status']>([
  'created',
  'authorized',
  'failure',
  'cancelled',
  'expired',
])

/**
 * Compares every order in the signer's store with the sandbox's ledger, the charges made under
 * the merchant's own caller account only (another caller may reuse any callerReference). Run it
 * once the sandbox is idle and a sweep has run: a pending order is then a mismatch too, unless
 * FPS still reports its charge Pending.
 */
export async function reconcile(h: Harness, store: Store): Promise<Mismatch[]> {
  const merchant = h.sandbox.state.credentials.get(h.key.accessKeyId)?.accountId
  if (!merchant) throw new Error('The sandbox does not know the merchant’s key.')
  const charges = new Map<string, Charge[]>()
  for (const txn of h.sandbox.state.transactions.values()) {
    if (txn.callerAccountId !== merchant) continue
    if (txn.operation !== 'Pay' && txn.operation !== 'Reserve') continue
    const list = charges.get(txn.callerReference) ?? []
    list.push({ id: txn.id, status: txn.status, amount: txn.amount })
    charges.set(txn.callerReference, list)
  }
  const mismatches: Mismatch[] = []
  for (const order of await allOrders(store)) {
    const problem = judge(order, charges.get(order.callerReference) ?? [])
    if (problem)
      mismatches.push({ callerReference: order.callerReference, status: order.status, problem })
  }
  return mismatches
}

function judge(order: Order, charges: Charge[]): string | undefined {
  if (charges.length > 1) return `${charges.length} charges`
  const [charge] = charges
  const moved = charge && ['Success', 'Reserved'].includes(charge.status)
  if (PAID.has(order.status)) {
    if (!charge || !moved) return `no completed charge (${charge?.status ?? 'none'})`
    if (charge.amount !== order.amountCents)
      return `charged ${charge.amount}, not ${order.amountCents}`
    if (charge.id !== order.transactionId)
      return `transaction ${order.transactionId}, not ${charge.id}`
    return undefined
  }
  if (UNPAID.has(order.status))
    return moved ? `charged ${charge.amount} (${charge.status})` : undefined
  if (charge && charge.status !== 'Pending') return `FPS says ${charge.status}`
  return undefined
}

async function allOrders(store: Store): Promise<Order[]> {
  return store.listOrders({ limit: 1_000_000 })
}
