import { html, nothing } from 'lit'
import type { Order, ReturnResponse } from './api.js'
import { type Ending, FpsElement, spinner } from './element.js'
import { asRequestError } from './errors.js'
import { reportToButton } from './popup.js'
import { styles } from './return.styles.js'
import { readStored, savedOrderSlot, writeStored } from './storage.js'

/** How the signer refuses a return for good (bad, forged or unknown): retrying cannot help. */
const finalRefusals = [400, 403, 404]

/**
 * Takes the return parameters (the whole query: the return URL is the signer's, CBUI appends
 * the rest) out of the address bar, so a reload or a shared link cannot resend them.
 */
function forgetReturnParameters(): void {
  history.replaceState(history.state, '', location.pathname)
}

/**
 * The merchant's return page: hands the parameters CBUI sent back to the signer, which verifies
 * them and pays, then shows the outcome. A reload shows the stored outcome again.
 *
 * @summary Verifies an Amazon FPS return and shows the outcome.
 * @tagname fps-return
 * @fires fps-return-verified - The signer verified the return; `detail` is the order. Once per return.
 * @fires fps-return-rejected - The signer refused the parameters; `detail.code` says why.
 * @fires fps-return-incomplete - The buyer came back without paying; `detail.outcome` says why.
 * @fires fps-error - The signer could not be reached or failed; the buyer can retry.
 * @slot loading - Replaces the progress message.
 * @slot success - Replaces the success content.
 * @slot pending - Replaces the content for a payment still in progress.
 * @slot failure - Replaces the content for a failed, cancelled or expired payment.
 * @slot rejected - Replaces the content for refused parameters.
 * @slot error - Replaces the error content (and its retry button).
 * @csspart box - The live region around the content.
 * @csspart title - The outcome's headline.
 * @csspart details - Amount, reason and transaction.
 * @csspart amount - The formatted amount.
 * @csspart transaction - The FPS transaction id and its label.
 * @csspart retry - The retry button in the error state.
 * @csspart spinner - The progress indicator.
 * @cssproperty --fps-success - Colour of the success headline.
 * @cssproperty --fps-error - Colour of failure and error headlines.
 */
export class FpsReturn extends FpsElement {
  static override styles = styles

  /** The order shown, once the signer has answered (read-only: `show()` renders it). */
  order: Order | undefined
  /** Milliseconds before a pending order is looked up again; it grows, as payments can take days. */
  #pollDelay = 2000

  override firstUpdated(): void {
    void this.#load()
  }

  /**
   * Verifies the return in the address bar, or else looks up the buyer's last order again (the
   * return of a purchase paid in one click, when the address names it). Never rejects: a failed
   * call to the signer is shown (`fail`).
   */
  async #load(): Promise<void> {
    const query = location.search.slice(1)
    const parameters = new URLSearchParams(query)
    const isReturn = parameters.has('status')
    const saved = readStored(savedOrderSlot)
    if (!isReturn && !saved) return
    // a pending order is looked up again quietly: no spinner, no new announcement
    if (!this.order) this.show('loading')
    try {
      if (isReturn) {
        const answer = await this.api<ReturnResponse>('/return', { query })
        forgetReturnParameters()
        let ending: Ending = answer
        if ('order' in answer) {
          const { order, accessToken } = answer
          this.order = order
          writeStored(savedOrderSlot, { ref: order.callerReference, token: accessToken })
          // the token stays in this browser, never in an event
          ending = { order }
        }
        this.conclude(ending)
        // in popup mode, the button that opened this window shows the outcome too
        const callerReference = parameters.get('callerReference')
        if (callerReference) reportToButton(callerReference, ending)
      } else {
        const { order } = await this.api<{ order: Order }>(
          `/orders/${encodeURIComponent(saved!.ref)}`,
          undefined,
          { authorization: `Bearer ${saved!.token}` }
        )
        this.order = order
        const ref = parameters.get('callerReference')
        if (ref === saved!.ref) {
          // bought in one click: the checkout sent the buyer straight here, and this is the return
          forgetReturnParameters()
          this.conclude({ order })
          reportToButton(ref, { order })
        } else this.showOrder(order)
      }
      if (this.state === 'pending') {
        this.#pollDelay *= 1.5
        setTimeout(() => {
          if (this.isConnected) void this.#load()
        }, this.#pollDelay)
      }
    } catch (error) {
      const failure = asRequestError(error)
      // a refused return is final: its parameters go, as after a verified one
      if (isReturn && finalRefusals.includes(failure.status)) {
        forgetReturnParameters()
        this.fail(failure, 'rejected')
      } else {
        this.fail(failure)
      }
    }
  }

  override render() {
    const { state, order } = this
    if (state === 'idle') return nothing
    const text = this.text
    const title = state === 'error' ? this.message : (text[this.outcome] ?? text[state])
    return html`<div part="box" role="status" aria-busy=${state === 'loading'}>
      <slot name=${state}>
        <p part="title" class=${state}>
          ${state === 'loading' ? spinner : nothing}
          ${title}
        </p>
        ${
          order
            ? html`<div part="details">
                <b part="amount">${this.money(order.amount, order.currencyCode)}</b> ${order.reason}
                ${order.transactionId ? html`<br /><small part="transaction">${text.transaction} ${order.transactionId}</small>` : nothing}
              </div>`
            : nothing
        }
        ${state === 'error' ? html`<button part="retry" @click=${this.#load}>${text.retry}</button>` : nothing}
      </slot>
    </div>`
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fps-return': FpsReturn
  }
}
