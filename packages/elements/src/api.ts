/**
 * The wire contract with the signer (docs/http-api.md), as `@fps-checkout/signer/http` defines it.
 * The imports are type-only, so the bundle carries none of it and a change there fails this
 * package's type check.
 */
import type { CheckoutRequest as SignerCheckoutRequest } from '@fps-checkout/signer/http'

export type {
  CheckoutResponse,
  OrderStatus,
  OrderView as Order,
  RefundRequestView as RefundRequest,
  Returned,
  ReturnResponse,
  SubscriptionStatus,
  SubscriptionView as Subscription,
} from '@fps-checkout/signer/http'

/**
 * What `<fps-buy-button>` posts to `{signer}/checkout`: the contract's body, with `currencyCode`
 * taken from the `currency` attribute as the page wrote it (the signer refuses any but USD).
 */
export interface CheckoutRequest extends Omit<SignerCheckoutRequest, 'currencyCode'> {
  currencyCode: string
}
