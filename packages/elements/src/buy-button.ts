import { html, nothing, type PropertyDeclarations } from 'lit'
import type { CheckoutRequest, CheckoutResponse } from './api.js'
import { styles } from './buy-button.styles.js'
import { FpsElement, spinner } from './element.js'
import { asRequestError } from './errors.js'
import { FpsEvent } from './events.js'
import { awaitReport } from './popup.js'
import { attemptsSlot, newAttemptKey, readStored, savedOrderSlot, writeStored } from './storage.js'

/**
 * A payment button: a click asks the signer for a signed Amazon FPS checkout URL and takes the
 * buyer there. Inside a `<form>` it submits the form, which is also its no-JavaScript fallback.
 *
 * @summary Starts an Amazon FPS checkout.
 * @tagname fps-buy-button
 * @fires fps-checkout - Before the request; `detail` is its body; `preventDefault()` stops it.
 * @fires fps-error - The signer could not be reached or refused; `detail.code` says why.
 * @fires fps-return-verified - In popup mode: the return was verified; `detail` is the order.
 * @fires fps-return-incomplete - In popup mode: the buyer came back without paying.
 * @slot label - Replaces the label text.
 * @slot logo - A mark shown before the label.
 * @csspart button - The native button.
 * @csspart label - The label.
 * @csspart amount - The formatted amount.
 * @csspart logo - The logo slot.
 * @csspart spinner - The progress indicator while the signer answers.
 * @csspart message - The live region under the button: progress, then any error or outcome.
 * @cssproperty --fps-bg - Button background.
 * @cssproperty --fps-color - Button text colour.
 * @cssproperty --fps-radius - Button corner radius.
 * @cssproperty --fps-error - Colour of error text.
 */
export class FpsBuyButton extends FpsElement {
  static formAssociated = true
  static override styles = styles
  static override properties: PropertyDeclarations = {
    amount: { reflect: true },
    currency: { reflect: true },
    reason: { reflect: true },
    logo: { reflect: true },
    item: { reflect: true },
    every: { reflect: true },
    label: { reflect: true },
    disabled: { type: Boolean, reflect: true },
    mode: { reflect: true },
  }

  /** Amount to charge, a decimal string such as `0.90`; the signer checks it against its prices. */
  declare amount: string | undefined
  /** ISO 4217 currency code; `USD` when unset. */
  declare currency: string | undefined
  /** What the buyer pays for, shown on the payment pages. */
  declare reason: string | undefined
  /** HTTPS URL of the merchant's logo, shown on the payment pages (co-branding). */
  declare logo: string | undefined
  /** Catalog id of the item, when the signer prices by catalog. */
  declare item: string | undefined
  /**
   * A plan's period, as the catalog writes it (`1 Month`, `3 Months`, `2 Weeks`): the label then
   * reads "Subscribe · $4.99/month". For the label only; the signer knows the plan from `item`
   * and decides what is charged, and how often.
   */
  declare every: string | undefined
  /** Label text in place of the default. */
  declare label: string | undefined
  /** Whether the button is disabled. */
  declare disabled: boolean | undefined
  /** `redirect` (the default) takes this tab to the payment pages; `popup` opens them in a window. */
  declare mode: 'redirect' | 'popup' | undefined
  /** Stops awaiting the popup's report on the last attempt, when a new one starts. */
  #stopAwaiting: (() => void) | undefined

  /** Called by the browser when the button's disabled state changes, as by a `<fieldset disabled>`. */
  formDisabledCallback(): void {
    this.requestUpdate()
  }

  /** The body `fps-checkout` carries and the signer receives. */
  get request(): CheckoutRequest {
    return {
      amount: this.amount ?? '',
      currencyCode: this.currency ?? 'USD',
      reason: this.reason ?? '',
      logo: this.logo,
      item: this.item,
    }
  }

  override render() {
    const { text, every } = this
    const { amount, currencyCode } = this.request
    const busy = this.state === 'loading'
    const failed = this.state === 'error'
    let message = ''
    if (busy) message = text.busy
    else if (failed) message = this.message
    else if (this.state !== 'idle') message = text[this.outcome] ?? text[this.state] ?? ''
    return html`<button
        part="button"
        ?disabled=${this.matches(':disabled')}
        aria-busy=${busy}
        @click=${this.#onClick}
      >
        <slot name="logo" part="logo"></slot>
        <span part="label"><slot name="label">${failed ? text.retry : this.label || (every ? text.subscribe : text.label)}</slot></span>
        ${
          amount
            ? html`${every ? '·' : nothing} <span part="amount">${this.money(amount, currencyCode, every)}</span>`
            : nothing
        }
        ${busy ? spinner : nothing}
      </button>
      <span part="message" class=${this.state} role="status">${message}</span>`
  }

  #onClick(): void {
    if (this.state === 'loading') return
    const form = this.internals.form
    if (!form) {
      this.#checkout()
      return
    }
    // The form submits first, so that its validation and the page's submit listeners have their
    // say; unless one cancels, the checkout runs in place of the native post.
    const submit = (event: SubmitEvent) => {
      if (event.target !== form || event.defaultPrevented) return
      event.preventDefault()
      this.#checkout()
    }
    window.addEventListener('submit', submit)
    form.requestSubmit()
    window.removeEventListener('submit', submit)
  }

  #checkout(): void {
    const request = this.request
    if (!this.dispatchEvent(new FpsEvent('fps-checkout', request, true))) return
    const popup = this.mode === 'popup' ? window.open('', 'fps', 'popup') : null
    void this.#start(request, popup)
  }

  /**
   * Asks the signer for the order and sends the buyer to its payment pages. Never rejects: a failed
   * call to the signer is shown (`fail`).
   */
  async #start(request: CheckoutRequest, popup: Window | null): Promise<void> {
    this.show('loading')
    this.#stopAwaiting?.()
    try {
      // one key per purchase attempt, kept until the buyer is back: a double click, a retry or a
      // reload answers the same order instead of starting a second one
      const attempts = readStored(attemptsSlot) ?? {}
      const purchase = this.signer + JSON.stringify(request)
      attempts[purchase] ??= newAttemptKey()
      writeStored(attemptsSlot, attempts)
      const checkout = await this.api<CheckoutResponse>('/checkout', request, {
        'idempotency-key': attempts[purchase],
      })
      // the order's token, so the buyer can cancel it from the return page while it is unpaid
      writeStored(savedOrderSlot, { ref: checkout.callerReference, token: checkout.accessToken })
      const target = popup ?? window
      target.location.assign(checkout.url)
      // usable again once the popup has its URL, or when Back restores this page from cache
      if (popup) {
        this.show('idle')
        // the return page in the popup reports how the purchase ended, and the popup closes
        this.#stopAwaiting = awaitReport(checkout.callerReference, (ending) =>
          this.conclude(ending)
        )
      } else {
        window.addEventListener('pageshow', () => this.show('idle'), { once: true })
      }
    } catch (error) {
      popup?.close()
      this.fail(asRequestError(error))
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fps-buy-button': FpsBuyButton
  }
}
