/** What `<fps-buy-button>` posts to `{signer}/checkout` (docs/http-api.md). */
export interface CheckoutRequest {
  amount: string
  currencyCode: string
  reason: string
  logo?: string | undefined
  item?: string | undefined
}

/** The signer's answer to a checkout: where the buyer goes next. */
export interface CheckoutResponse {
  url: string
  callerReference: string
  expiresAt: string
}

/** An order's status as the signer reports it. */
export type OrderStatus =
  | 'created'
  | 'pending'
  | 'reserved'
  | 'success'
  | 'refunded'
  | 'failure'
  | 'cancelled'
  | 'expired'

/** An order as `{signer}/return` and `{signer}/orders/:callerReference` describe it. */
export interface Order {
  callerReference: string
  status: OrderStatus
  amount: string
  currencyCode: string
  reason: string
  transactionId?: string
}

/** What the buyer did on the payment pages when the return authorized nothing. */
export interface Returned {
  /** FPS's return status code: `A` (cancelled), `SE`, `CE`, `PE`, `NP`, `NM`. */
  status: string
  outcome: string
  message: string
}

/**
 * The signer's answer to a return: the order and the token that looks it up later, or, when the
 * buyer authorized nothing, only what happened (the order stays open; nothing was charged).
 */
export type ReturnResponse = { order: Order; accessToken: string } | { returned: Returned }

/**
 * A failed call to the signer. `code` is the signer's stable error code, or `network` when it
 * could not be reached and `bad_response` when it answered outside the contract; `status` is the
 * HTTP status (0 without an answer).
 */
export interface FpsError {
  code: string
  /** The signer's message, when it sent one. */
  message?: string
  status: number
}
