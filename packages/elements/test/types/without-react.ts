import { define, type FpsBuyButton } from '@fps-checkout/elements'
import type {} from '@fps-checkout/elements/react'

define()
const button: FpsBuyButton = document.createElement('fps-buy-button')
button.amount = '0.90'
button.addEventListener('fps-checkout', (e) => e.detail.currencyCode)
document
  .querySelector('fps-return')
  ?.addEventListener('fps-return-verified', (e) => e.detail.status)
button.every = '1 Month'
document
  .querySelector('fps-order')
  ?.addEventListener('fps-subscription-cancelled', (e) => e.detail.subscription?.nextChargeAt)
