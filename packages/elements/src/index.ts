/**
 * @module @fps-checkout/elements: `<fps-buy-button>` and `<fps-return>`, which `define()` registers,
 * and `<fps-order>` (the return with the buyer's actions), which `defineOrder()` registers.
 */
export type {
  CheckoutRequest,
  CheckoutResponse,
  Order,
  OrderStatus,
  RefundRequest,
  Returned,
  ReturnResponse,
  Subscription,
  SubscriptionStatus,
} from './api.js'
export { FpsBuyButton } from './buy-button.js'
export { define } from './define.js'
export { defineOrder } from './define-order.js'
export type { FpsState } from './element.js'
export { type FpsError, FpsRequestError } from './errors.js'
export {
  type FpsCheckoutEvent,
  type FpsErrorEvent,
  FpsEvent,
  type FpsEventMap,
  type FpsOrderCancelledEvent,
  type FpsRefundRequestedEvent,
  type FpsReturnIncompleteEvent,
  type FpsReturnVerifiedEvent,
  type FpsSubscriptionCancelledEvent,
} from './events.js'
export { FpsOrder } from './order.js'
export { FpsReturn } from './return.js'
export { defaults as strings, type Strings } from './strings.js'
