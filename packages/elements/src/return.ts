import { html, nothing } from 'lit'
import type { FpsError, Order, ReturnResponse } from './api.js'
import { FpsElement, type FpsState, spinner } from './element.js'
import { FpsEvent } from './events.js'
import { styles } from './return.styles.js'
import { attemptsKey, store } from './storage.js'

/** How the signer refuses a return for good (bad, forged or unknown): retrying cannot help. */
const refused = /^40[034]$/

/** Where this tab keeps its last order, so a reload can look it up. */
const savedKey = 'fps:order'

interface Saved {
  ref: string
  token: string
}

/** What the buyer sees for an order status (docs/http-api.md). */
const outcome = (status: string): FpsState =>
  /^(success|reserved|refunded)$/.test(status)
    ? 'success'
    : /^(failure|cancelled|expired)$/.test(status)
      ? 'failure'
      : 'pending'

/**
 * Takes the return parameters (the whole query: the return URL is the signer's, CBUI appends
 * the rest) out of the address bar, so a reload or a shared link cannot resend them.
 */
function clean(): void {
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
  /** The headline's string key for a return that paid nothing: `cancelled` after an abort. */
  #unpaid = ''
  /** The pause before looking up a pending order again; it grows, as payments can take days. */
  #wait = 2e3

  override firstUpdated(): void {
    void this.#load()
  }

  /**
   * Verifies the return in the address bar, or else looks up this tab's last order again. Never
   * rejects: a failed call to the signer is shown (`fail`).
   */
  async #load(): Promise<void> {
    const query = location.search.slice(1)
    const fresh = new URLSearchParams(query).has('status')
    const saved = store<Saved>(savedKey)
    if (!fresh && !saved) return
    // a pending order is looked up again quietly: no spinner, no new announcement
    if (!this.order) this.show('loading')
    try {
      const r = fresh
        ? await this.api<ReturnResponse>('/return', { query })
        : await this.api<ReturnResponse>(`/orders/${encodeURIComponent(saved!.ref)}`, 0, {
            authorization: `Bearer ${saved!.token}`,
          })
      if (fresh) clean()
      if ('returned' in r) {
        // nothing was charged and the order stays open: the buyer may start again
        this.#unpaid = r.returned.status === 'A' ? 'cancelled' : ''
        this.show('failure')
        return void this.dispatchEvent(new FpsEvent('fps-return-incomplete', r.returned))
      }
      this.order = r.order
      this.show(outcome(r.order.status))
      if (fresh) {
        store(savedKey, { ref: r.order.callerReference, token: r.accessToken })
        store(attemptsKey, {})
        this.dispatchEvent(new FpsEvent('fps-return-verified', r.order))
      }
      if (this.state === 'pending') {
        this.#wait *= 1.5
        setTimeout(() => this.isConnected && void this.#load(), this.#wait)
      }
    } catch (e) {
      const err = e as FpsError
      // a refused return is final: its parameters go, as after a verified one
      if (!(fresh && refused.test(`${err.status}`))) return this.fail(err)
      clean()
      this.fail(err, 'rejected')
    }
  }

  override render() {
    const { state, order: o } = this
    if (state === 'idle') return nothing
    const t = this.text
    return html`<div part="box" role="status" aria-busy=${state === 'loading'}>
      <slot name=${state}>
        <p part="title" class=${state}>
          ${state === 'loading' ? spinner : nothing}
          ${state === 'error' ? this.message : (t[o?.status ?? this.#unpaid] ?? t[state])}
        </p>
        ${
          o
            ? html`<div part="details">
                <b part="amount">${this.money(o.amount, o.currencyCode)}</b> ${o.reason}
                ${o.transactionId ? html`<br /><small part="transaction">${t.transaction} ${o.transactionId}</small>` : nothing}
              </div>`
            : nothing
        }
        ${state === 'error' ? html`<button part="retry" @click=${this.#load}>${t.retry}</button>` : nothing}
      </slot>
    </div>`
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fps-return': FpsReturn
  }
}
