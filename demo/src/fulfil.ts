import type { EventHandler } from '@fps-checkout/signer'
import type { Fulfilments } from './fulfilments.js'
import type { Song } from './songs.js'
import type { StreamingPasses } from './streaming.js'

/** How long a download link works after the shop issued it. */
const LINK_TTL_MS = 7 * 24 * 60 * 60_000

/**
 * Fulfils from the signer's events, never from the return page, so a buyer who closed the tab
 * is served too: a paid order gets its download link (a song bought with credits too); a settled
 * one (reserve mode, charged on shipment) gets its link and is marked shipped; a full refund
 * takes the download back. A subscription's events keep its streaming pass: each period charged
 * extends it, and a cancelled subscription streams to the end of the period paid for. The
 * signer delivers each event at least once, so each step is idempotent: a redelivered
 * `order.paid` finds the order's link and issues none.
 */
export function fulfilOrders(
  fulfilments: Fulfilments,
  { songs, now, streaming }: { songs: readonly Song[]; now: () => Date; streaming: StreamingPasses }
): EventHandler {
  const issue = (callerReference: string, item: string | undefined) => {
    // a donation, or an item the shop no longer sells, has nothing to download
    if (item === undefined || !songs.some((song) => song.id === item)) return false
    const issuedAt = now()
    // whole seconds, as the link carries its expiry
    const expiresAt = Math.floor((issuedAt.getTime() + LINK_TTL_MS) / 1000) * 1000
    fulfilments.issue({
      callerReference,
      item,
      issuedAt: issuedAt.toISOString(),
      expiresAt: new Date(expiresAt).toISOString(),
    })
    return true
  }
  return (event) => {
    const { callerReference, item } = event.data.order
    if ('subscription' in event.data) {
      const charged = event.type === 'subscription.charged'
      streaming.record(callerReference, event.data.subscription, charged)
      return
    }
    switch (event.type) {
      case 'order.paid':
        issue(callerReference, item)
        break
      case 'order.settled':
        if (issue(callerReference, item))
          fulfilments.mark(callerReference, 'shippedAt', event.timestamp)
        break
      case 'order.refunded':
        if (event.data.refund.full)
          fulfilments.mark(callerReference, 'withdrawnAt', event.timestamp)
        break
      default:
      // reserved, failed, cancelled, expired: nothing was delivered, so nothing to do
    }
  }
}
