/**
 * @module Helpers for a merchant's own tests against the sandbox: walk its payment pages without a
 * browser, as the project's own tests do.
 */

export type { PaymentPagesWalk } from './payment-pages.js'
export { walkPaymentPages } from './payment-pages.js'
