import { html, nothing } from 'lit'
import type { Order, RefundRequest, Subscription } from './api.js'
import type { Ending } from './element.js'
import { asRequestError } from './errors.js'
import { FpsEvent } from './events.js'
import { FpsReturn } from './return.js'
import { readStored, type SavedOrder, savedOrderSlot } from './storage.js'

/** What the buyer may do about an order, or about the subscription it started. */
type Action = 'cancel' | 'refund' | 'unsubscribe'

/**
 * The text of the actions and of a subscription, by the keys a page's `strings` may override;
 * `{date}` and `{count}` stand for the date and the number. A subscription's status is
 * `subscription_` + its status, apart from the order statuses' own keys (`cancelled`).
 */
const actionStrings = {
  cancel: 'Cancel order',
  refund: 'Request a refund',
  requested: 'Refund requested',
  declined: 'Refund declined',
  unsubscribe: 'Cancel subscription',
  subscription_trialing: 'Free trial',
  subscription_active: 'Subscription active',
  subscription_past_due: 'Subscription past due',
  subscription_cancelled: 'Subscription cancelled',
  subscription_ended: 'Subscription ended',
  next: 'Next payment on {date}.',
  retrying: 'Your last payment failed; it is tried again on {date}.',
  periods: 'Periods paid: {count}',
}

/** How a subscription's status reads at a glance, in the colours of the outcomes. */
const subscriptionLooks: Partial<Record<Subscription['status'], string>> = {
  trialing: 'success',
  active: 'success',
  past_due: 'failure',
}

/**
 * A subscription may be cancelled while it still charges (in its free trial, active, or retrying
 * a failed period), which is while the signer names its next charge: the signer's one rule.
 */
const ongoing = (subscription: Subscription) => subscription.nextChargeAt !== undefined

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
 * For a plan's order it shows the subscription the order started: its status, the next payment
 * (or the retry of a failed one), the periods paid, and while it still charges a button that
 * cancels it.
 *
 * @summary Shows an Amazon FPS order and lets its buyer cancel it, ask for a refund, or cancel its subscription.
 * @tagname fps-order
 * @fires fps-order-cancelled - The buyer cancelled the order; `detail` is the order.
 * @fires fps-refund-requested - The buyer asked for a refund; `detail` is the refund request.
 * @fires fps-subscription-cancelled - The buyer cancelled the subscription; `detail` is the order, with it.
 * @csspart cancel - The button that cancels the order.
 * @csspart refund - The button that asks for a refund.
 * @csspart request - Where a refund request stands: asked for, or declined with the merchant's note.
 * @csspart subscription - The subscription: its status, price per period, next payment, periods paid.
 * @csspart subscription-status - The subscription's status.
 * @csspart unsubscribe - The button that cancels the subscription.
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
   * the buyer can cancel it for good. A verified one is looked up as the buyer's endpoint shows
   * it, with what the return's answer leaves out: the subscription a plan's order started.
   */
  protected override conclude(ending: Ending): void {
    super.conclude(ending)
    const saved = this.#saved()
    if (saved) {
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
    const saved = order && this.#saved()
    const action = saved ? actionOf(order) : undefined
    const request = order?.refundRequest
    const subscription = order?.subscription
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
      ${subscription ? this.#subscription(subscription) : nothing}
      ${action ? this.#button(action) : nothing}
      ${saved && subscription && ongoing(subscription) ? this.#button('unsubscribe') : nothing}`
  }

  /** What the buyer reads about a subscription. */
  #subscription(subscription: Subscription) {
    const { status, nextChargeAt } = subscription
    const text = this.text
    const next = status === 'past_due' ? text.retrying : text.next
    return html`<div part="subscription">
      <b part="subscription-status" class=${subscriptionLooks[status] ?? status}>
        ${text[`subscription_${status}`] ?? status}
      </b>
      ${this.money(subscription.amount, subscription.currencyCode, subscription.every)}
      ${nextChargeAt ? html`<br />${next.replace('{date}', this.#date(nextChargeAt))}` : nothing}
      <br />${text.periods.replace('{count}', String(subscription.chargedPeriods))}
    </div>`
  }

  #button(action: Action) {
    return html`<button part=${action} ?disabled=${this.#acting} @click=${() => this.#act(action)}>
      ${this.text[action]}
    </button>`
  }

  /** A date as the page's language (the closest `lang`) writes it, e.g. "March 3, 2027". */
  #date(iso: string): string {
    const date = new Date(iso)
    try {
      const lang = this.closest<HTMLElement>('[lang]')?.lang
      return new Intl.DateTimeFormat(lang, { dateStyle: 'long' }).format(date)
    } catch {
      return iso.slice(0, 10)
    }
  }

  /**
   * Cancels the order or its subscription (the same call: the signer cancels a plan's order's
   * subscription), or asks for its refund; tells the page and shows the order as it then stands.
   * Never rejects: a failed call to the signer is shown (`fail`).
   */
  async #act(action: Action): Promise<void> {
    const saved = this.#saved()
    if (!saved || this.#acting) return
    this.#acting = true
    this.requestUpdate()
    try {
      const answer = await this.#call<{ order?: Order; refundRequest?: RefundRequest }>(
        saved,
        action === 'refund' ? '/refund-requests' : '/cancel',
        {}
      )
      // shown cancelled at once, should the look-up below fail
      if (answer.order) this.order = answer.order
      // the event names are written out here: the manifest analyzer reads them from this call
      this.dispatchEvent(
        action === 'cancel'
          ? new FpsEvent('fps-order-cancelled', answer.order)
          : action === 'unsubscribe'
            ? new FpsEvent('fps-subscription-cancelled', answer.order)
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
