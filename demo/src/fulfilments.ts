import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'

/** What the shop did for one order: the download link it issued, and what happened since. */
export interface Fulfilment {
  callerReference: string
  item: string
  issuedAt: string
  /** When the order's one download link stops working. */
  expiresAt: string
  /** Reserve mode: when `order.settled` confirmed the charge taken on shipment. */
  shippedAt?: string
  /** When a full refund took the download back. */
  withdrawnAt?: string
}

/** The shop's fulfilments, one per order at most. */
export interface Fulfilments {
  get(callerReference: string): Fulfilment | undefined
  /** Keeps `fulfilment` unless its order has one already; answers the order's one either way. */
  issue(fulfilment: Fulfilment): Fulfilment
  /** Records when an order shipped or was withdrawn; a time already recorded stays. */
  mark(callerReference: string, field: 'shippedAt' | 'withdrawnAt', at: string): void
}

/**
 * The shop's own record of what it delivered, a JSON file keyed by order: only this process writes
 * it, and each change rewrites it through a rename, so a crash leaves the old file or the new one.
 */
export function openFulfilments(file: string): Fulfilments {
  const byOrder = new Map<string, Fulfilment>(
    existsSync(file)
      ? Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, Fulfilment>)
      : []
  )
  const save = () => {
    writeFileSync(`${file}.tmp`, JSON.stringify(Object.fromEntries(byOrder), null, 2))
    renameSync(`${file}.tmp`, file)
  }
  return {
    get: (callerReference) => byOrder.get(callerReference),
    issue(fulfilment) {
      const kept = byOrder.get(fulfilment.callerReference)
      if (kept) return kept
      byOrder.set(fulfilment.callerReference, fulfilment)
      save()
      return fulfilment
    },
    mark(callerReference, field, at) {
      const kept = byOrder.get(callerReference)
      if (!kept || kept[field]) return
      byOrder.set(callerReference, { ...kept, [field]: at })
      save()
    },
  }
}
