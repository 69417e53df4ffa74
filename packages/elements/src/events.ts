import type { CheckoutRequest, Order, RefundRequest, Returned } from './api.js'
import type { FpsError } from './errors.js'

/** Every event of the elements: prefixed, bubbling out of shadow roots, with a typed `detail`. */
export class FpsEvent<T> extends Event {
  constructor(
    type: keyof FpsEventMap,
    readonly detail: T,
    cancelable = false
  ) {
    super(type, { bubbles: true, composed: true, cancelable })
  }
}

/** `fps-checkout`: fired on a click before anything is sent; `preventDefault()` stops it. */
export type FpsCheckoutEvent = FpsEvent<CheckoutRequest>
/** `fps-error` (the signer could not be reached or failed) and `fps-return-rejected`. */
export type FpsErrorEvent = FpsEvent<FpsError>
/** `fps-return-verified`: the signer verified the buyer's return; fired once per return. */
export type FpsReturnVerifiedEvent = FpsEvent<Order>
/** `fps-return-incomplete`: the buyer came back without authorizing (cancelled, or an FPS error). */
export type FpsReturnIncompleteEvent = FpsEvent<Returned>

/** `fps-order-cancelled`: the buyer cancelled the order `<fps-order>` shows. */
export type FpsOrderCancelledEvent = FpsEvent<Order>
/** `fps-refund-requested`: the buyer asked for a refund; `detail` is the refund request. */
export type FpsRefundRequestedEvent = FpsEvent<RefundRequest>
/**
 * `fps-subscription-cancelled`: the buyer cancelled the subscription a plan's order started;
 * `detail` is that order, its `subscription` cancelled (the order itself stays paid).
 */
export type FpsSubscriptionCancelledEvent = FpsEvent<Order>

/** The events by name, for `addEventListener` and framework typings. */
export interface FpsEventMap {
  'fps-checkout': FpsCheckoutEvent
  'fps-error': FpsErrorEvent
  'fps-return-verified': FpsReturnVerifiedEvent
  'fps-return-rejected': FpsErrorEvent
  'fps-return-incomplete': FpsReturnIncompleteEvent
  'fps-order-cancelled': FpsOrderCancelledEvent
  'fps-refund-requested': FpsRefundRequestedEvent
  'fps-subscription-cancelled': FpsSubscriptionCancelledEvent
}

declare global {
  interface HTMLElementEventMap extends FpsEventMap {}
}
