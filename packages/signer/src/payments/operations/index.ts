/**
 * The one place an operation, a stored money-moving FPS call, is made, sent and applied: its
 * key, its request, its lifecycle (store → send under a lease → record → move the order) and the
 * rules by which FPS's statuses move an order.
 */
export { catchUp } from './catch-up.js'
export { operationKey, periodReference, requestRefundReference } from './keys.js'
export { drive, refresh, report } from './lifecycle.js'
export { cancel, charge, refund, settle } from './requests.js'
