import type {
  FpsBuyButton,
  FpsCheckoutEvent,
  FpsSubscriptionCancelledEvent,
} from '@fps-checkout/elements'
import type {} from '@fps-checkout/elements/react'

export const button = (
  <fps-buy-button
    amount="0.90"
    reason="Now and Forever - Richard Marx"
    mode="popup"
    disabled={false}
    className="buy"
    strings={{ label: 'Buy now' }}
    ref={(el: FpsBuyButton | null) => el?.focus()}
    onfps-checkout={(e: FpsCheckoutEvent) => e.detail.amount.at(0)}
  >
    <img slot="logo" src="/logo.svg" alt="" />
  </fps-buy-button>
)

export const returned = <fps-return signer="/fps" onfps-return-verified={(e) => e.detail.status} />

export const subscribe = <fps-buy-button item="streaming-monthly" amount="4.99" every="1 Month" />

export const order = (
  <fps-order
    onfps-subscription-cancelled={(e: FpsSubscriptionCancelledEvent) =>
      e.detail.subscription?.status
    }
  />
)

// @ts-expect-error amount is a decimal string, never a number
export const wrongAmount = <fps-buy-button amount={0.9} />

// @ts-expect-error mode is redirect or popup
export const wrongMode = <fps-buy-button mode="tab" />
