import type { SignerEvent } from '@fps-checkout/signer'
import type { DownloadLinks } from './download-links.js'
import type { Fulfilments } from './fulfilments.js'
import type { Song } from './songs.js'
import { type Access, accessOf, type StreamingPasses } from './streaming.js'

/** An order as the signer shows it (the shape its events carry). */
export type OrderView = SignerEvent['data']['order']

/**
 * Where an order's delivery stands, for the buyer's order page and the merchant's orders page: a
 * song's download is `waiting` until the signer's event has fulfilled a song the buyer may still
 * get, then the link; a plan's order (the one that started a subscription) streams as its
 * periods are paid.
 */
export type Delivery =
  | { state: 'none' }
  | { state: 'waiting' }
  | { state: 'ready'; url: string; expiresAt: string; shippedAt?: string }
  | { state: 'expired'; expiresAt: string }
  | { state: 'withdrawn'; withdrawnAt: string }
  | Access

/** What the shop needs to tell a delivery. */
export interface DeliveryContext {
  fulfilments: Fulfilments
  links: DownloadLinks
  songs: readonly Song[]
  /** The subscriptions' streaming, as their events left it. */
  streaming: StreamingPasses
  now: () => Date
}

/** Statuses from which a song's order may still be fulfilled. */
const AWAITING = new Set(['pending', 'reserved', 'success'])

/** The order's delivery as its fulfilment (or the lack of one) stands now. */
export function deliveryOf(ctx: DeliveryContext, order: OrderView): Delivery {
  const pass = ctx.streaming.get(order.callerReference)
  if (pass) return accessOf(pass, ctx.now())
  // the subscription started, and its first event is on its way
  if (order.subscription) return { state: 'streaming-pending' }
  const fulfilment = ctx.fulfilments.get(order.callerReference)
  if (!fulfilment) {
    const song = ctx.songs.some(({ id }) => id === order.item)
    return song && AWAITING.has(order.status) ? { state: 'waiting' } : { state: 'none' }
  }
  const { expiresAt, shippedAt, withdrawnAt } = fulfilment
  if (withdrawnAt) return { state: 'withdrawn', withdrawnAt }
  if (new Date(expiresAt) <= ctx.now()) return { state: 'expired', expiresAt }
  const url = ctx.links.path(order.callerReference, new Date(expiresAt))
  return { state: 'ready', url, expiresAt, ...(shippedAt ? { shippedAt } : {}) }
}
