/** @module @fps-checkout/elements: `<fps-buy-button>` and `<fps-return>`; call `define()` to register them. */
export type {
  CheckoutRequest,
  CheckoutResponse,
  Order,
  OrderStatus,
  Returned,
  ReturnResponse,
} from './api.js'
export { FpsBuyButton } from './buy-button.js'
export { define } from './define.js'
export type { FpsState } from './element.js'
export { type FpsError, FpsRequestError } from './errors.js'
export {
  type FpsCheckoutEvent,
  type FpsErrorEvent,
  FpsEvent,
  type FpsEventMap,
  type FpsReturnIncompleteEvent,
  type FpsReturnVerifiedEvent,
} from './events.js'
export { FpsReturn } from './return.js'
export { defaults as strings, type Strings } from './strings.js'
