import { html, nothing } from 'lit'
import type { Order, RefundRequest } from './api.js'
import type { Ending } from './element.js'
import { asRequestError } from './errors.js'
import { FpsEvent } from './events.js'
import { FpsReturn } from './return.js'
import { readStored, type SavedOrder, savedOrderSlot } from './storage.js'

/** What the buyer may do about an order. */
type Action = 'cancel' | 'refund'

/** The text of the actions, by the keys a page's `strings` may override. */
const actionStrings = {
  cancel: 'Cancel order',
  refund: 'Request a refund',
  requested: 'Refund requested',
  declined: 'Refund declined',
}

/**
 * What the buyer may do about an order in each status: cancel one not paid yet (a checkout, or a
 * reservation not settled), or ask for the rest of a payment back.
 */
function actionOf(order: Order): Action | undefined {
  if (order.status === 'created' || order.status === 'reserved') return 'cancel'
  const paid = order.status === 'success' || order.status === 'refunded'
  return paid && order.refundedAmount !== order.amount && !order.refundRequest
    ? 'refund'
    : undefined
}

/**
 * `<fps-return>` with what the buyer may do about the order, with the order's access token that
 * this browser keeps (from the button at checkout and from the return): cancel an order not paid yet or a
 * reservation not settled, or ask for a refund, which the merchant decides. For a return page or
 * an order page; it ships beside the 9 KiB script, in `fps-order.iife.js` (which has the other
 * two elements too) or by `defineOrder()`.
 *
 * @summary Shows an Amazon FPS order and lets its buyer cancel it or ask for a refund.
 * @tagname fps-order
 * @fires fps-order-cancelled - The buyer cancelled the order; `detail` is the order.
 * @fires fps-refund-requested - The buyer asked for a refund; `detail` is the refund request.
 * @csspart cancel - The button that cancels the order.
 * @csspart refund - The button that asks for a refund.
 * @csspart request - Where a refund request stands: asked for, or declined with the merchant's note.
 */
export class FpsOrder extends FpsReturn {
  /** The order the return page came back for: the one whose token this browser holds, if it matches. */
  readonly #returned = new URLSearchParams(location.search).get('callerReference')
  /** An action in flight, so a second click waits for it. */
  #acting = false

  protected override get text() {
    return { ...actionStrings, ...super.text }
  }

  /**
   * Shows how a return ended. A return that paid nothing leaves its order open: it is shown, so
   * the buyer can cancel it for good.
   */
  protected override conclude(ending: Ending): void {
    super.conclude(ending)
    const saved = this.#saved()
    if ('returned' in ending && saved && saved.ref === this.#returned) {
      void this.#call<{ order: Order }>(saved, '').then(
        ({ order }) => {
          this.order = order
          this.requestUpdate()
        },
        // the outcome stands as shown; without the order there is only nothing to offer
        () => undefined
      )
    }
  }

  override render() {
    const order = this.order
    const action = order && this.#saved() ? actionOf(order) : undefined
    const request = order?.refundRequest
    const text = this.text
    return html`${super.render()}
      ${
        request && request.status !== 'approved'
          ? html`<div part="request">
              ${request.status === 'open' ? text.requested : text.declined}
              ${request.note ?? nothing}
            </div>`
          : nothing
      }
      ${
        action
          ? html`<button part=${action} ?disabled=${this.#acting} @click=${() => this.#act(action)}>
              ${text[action]}
            </button>`
          : nothing
      }`
  }

  /**
   * Cancels the order, or asks for its refund; tells the page and shows the order as it then
   * stands. Never rejects: a failed call to the signer is shown (`fail`).
   */
  async #act(action: Action): Promise<void> {
    const saved = this.#saved()
    if (!saved || this.#acting) return
    this.#acting = true
    this.requestUpdate()
    try {
      const answer = await this.#call<{ order?: Order; refundRequest?: RefundRequest }>(
        saved,
        action === 'cancel' ? '/cancel' : '/refund-requests',
        {}
      )
      // the event names are written out here: the manifest analyzer reads them from this call
      this.dispatchEvent(
        action === 'cancel'
          ? new FpsEvent('fps-order-cancelled', answer.order)
          : new FpsEvent('fps-refund-requested', answer.refundRequest)
      )
      // a refund request may have been approved at once (a refund window): ask how it stands
      const { order } = await this.#call<{ order: Order }>(saved, '')
      this.order = order
      this.showOrder(order)
    } catch (error) {
      this.fail(asRequestError(error))
    } finally {
      this.#acting = false
      this.requestUpdate()
    }
  }

  /** The buyer's saved order and its token, when it is the order shown (or the one returned for). */
  #saved(): SavedOrder | undefined {
    const saved = readStored(savedOrderSlot)
    const ref = this.order?.callerReference ?? this.#returned
    return saved && saved.ref === ref ? saved : undefined
  }

  /** Calls the signer about the order, with the token that opens it. */
  #call<T>(saved: SavedOrder, path: string, body?: object): Promise<T> {
    return this.api<T>(`/orders/${encodeURIComponent(saved.ref)}${path}`, body, {
      authorization: `Bearer ${saved.token}`,
    })
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fps-order': FpsOrder
  }
}
