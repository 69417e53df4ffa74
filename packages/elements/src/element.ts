import { html, LitElement, type PropertyDeclarations } from 'lit'
import type { Order, OrderStatus, Returned } from './api.js'
import { type FpsError, FpsRequestError } from './errors.js'
import { FpsEvent } from './events.js'
import { reach } from './reach.js'
import { attemptsSlot, writeStored } from './storage.js'
import { defaults, type Strings } from './strings.js'

/** What an element shows; each is also a custom state, so pages can style `:state(loading)`. */
export type FpsState = 'idle' | 'loading' | 'error' | 'success' | 'pending' | 'failure' | 'rejected'

/**
 * How a return ended: the verified order, or, when the buyer authorized nothing, what they did.
 * `<fps-return>` shows it, and in a popup tells the window that opened it.
 */
export type Ending = { order: Order } | { returned: Returned }

/**
 * What the buyer sees for each order status (docs/http-api.md). Keyed by the contract's statuses,
 * so a status added there fails this type check until it is given an outcome here.
 */
const outcomes: Record<OrderStatus, FpsState> = {
  created: 'pending',
  pending: 'pending',
  authorized: 'success',
  reserved: 'success',
  success: 'success',
  refunded: 'success',
  failure: 'failure',
  cancelled: 'failure',
  expired: 'failure',
}

/** The spinner both elements show while they wait for the signer (empty, so never announced). */
export const spinner = html`<span part="spinner"></span>`

/** What both elements share: the signer's address, their text, states, errors and amounts. */
export class FpsElement extends LitElement {
  static override properties: PropertyDeclarations = {
    signer: { reflect: true },
    strings: { type: Object },
  }

  /** Base URL of the signing server. */
  declare signer: string
  /** Text overrides (JSON in the attribute), merged over the English defaults. */
  declare strings: Strings | undefined
  /** What the element shows now. */
  declare state: FpsState
  /** The last failure, shown in the `error` state. */
  error: FpsError | undefined
  /** The string key of the outcome shown, where it has text of its own (`refunded`, `cancelled`). */
  protected outcome = ''
  protected internals = this.attachInternals()

  constructor() {
    super()
    this.signer = '/fps'
    this.show('idle')
  }

  /** The text in force: defaults, then the page's overrides. */
  protected get text(): typeof defaults & Strings {
    return { ...defaults, ...this.strings }
  }

  /**
   * The buyer-facing message for the last error: this page's text for its code, else the signer's
   * own message (written for buyers, docs/http-api.md), else the generic one.
   */
  protected get message(): string {
    const text = this.text
    const error = this.error!
    return text[error.code] ?? error.message ?? text.error
  }

  protected show(state: FpsState): void {
    this.state = state
    // custom states are recent (2024): where they are missing the element still works
    this.internals.states?.clear()
    this.internals.states?.add(state)
    this.requestUpdate()
  }

  /**
   * Calls the signer: a JSON POST when there is a body, else a GET. Every failure is thrown as an
   * {@link FpsRequestError}.
   */
  protected async api<T>(
    path: string,
    body?: object,
    headers: Record<string, string> = {}
  ): Promise<T> {
    const init = body
      ? {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(body),
        }
      : { headers }
    const response = await reach(new URL(this.signer + path, location.href), init)
    const answer = await response.json().catch(() => undefined)
    if (response.ok && answer) return answer
    // no message of our own: only the signer's, when it sent one, reaches the buyer
    throw new FpsRequestError({ code: 'bad_response', ...answer?.error, status: response.status })
  }

  /** Shows a failure and tells the page: `fps-error`, or `fps-return-rejected` for a refused return. */
  protected fail(failure: FpsRequestError, state: 'error' | 'rejected' = 'error'): void {
    this.error = failure.detail
    this.show(state)
    // the event name is written out here: the manifest analyzer reads it from this call
    this.dispatchEvent(
      new FpsEvent(state === 'error' ? 'fps-error' : 'fps-return-rejected', failure.detail)
    )
  }

  /** Shows an order's status; one from a signer newer than this copy of the script is pending. */
  protected showOrder(order: Order): void {
    this.outcome = order.status
    this.show(outcomes[order.status] ?? 'pending')
  }

  /**
   * Shows how a return ended and tells the page. A verified return ends this tab's purchase
   * attempts, so the next click starts a new order; one that paid nothing leaves them, as its
   * order stays open for the buyer to try again.
   */
  protected conclude(ending: Ending): void {
    if ('returned' in ending) {
      this.outcome = ending.returned.status === 'A' ? 'cancelled' : ''
      this.show('failure')
      this.dispatchEvent(new FpsEvent('fps-return-incomplete', ending.returned))
    } else {
      this.showOrder(ending.order)
      writeStored(attemptsSlot, {})
      this.dispatchEvent(new FpsEvent('fps-return-verified', ending.order))
    }
  }

  /**
   * Formats an amount for the page's language (the closest `lang`), as the buyer reads money. With
   * a plan's period (FPS's `recurringPeriod`: `1 Month`, `3 Months`), the price per period, its
   * unit in that language too: `$4.99/month`, `$9.99 every 3 months`, `4,99 €/Monat`.
   */
  protected money(amount: string, currency: string, every?: string): string {
    const lang = this.closest<HTMLElement>('[lang]')?.lang
    let price = `${amount} ${currency}`
    try {
      price = new Intl.NumberFormat(lang, { style: 'currency', currency }).format(+amount)
      if (!every) return price
      const [count, unit] = every.toLowerCase().split(/ |s$/)
      const period = new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'long' })
      // one period reads as its unit alone ("month"), wherever the language puts the number
      return count === '1'
        ? `${price}/${period.formatToParts(1).find((part) => part.type === 'unit')!.value}`
        : `${price} ${this.text.every} ${period.format(Number(count))}`
    } catch {
      // a period Intl does not know (or no unit at all) is shown as written
      return every ? `${price} ${every}` : price
    }
  }
}
