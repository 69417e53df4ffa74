import type { RefundRequestStatus } from '../http/contract.js'

export type { RefundRequestStatus } from '../http/contract.js'

/** Who decided a refund request: the merchant, or the refund window by itself. */
export type RefundDecider = 'merchant' | 'policy'

/** A buyer's request for the rest of an order's payment back, and the decision on it. */
export interface RefundRequest {
  id: string
  callerReference: string
  /** What the order had left to refund when the buyer asked: what an approval refunds. */
  amountCents: number
  currencyCode: string
  /** The buyer's words. */
  reason: string | undefined
  status: RefundRequestStatus
  decidedBy: RefundDecider | undefined
  /** The merchant's words on a decline. */
  note: string | undefined
  createdAt: string
  decidedAt: string | undefined
}

/** The fields a request starts with; it starts open. */
export type NewRefundRequest = Pick<
  RefundRequest,
  'id' | 'callerReference' | 'amountCents' | 'currencyCode' | 'reason' | 'createdAt'
>

/** A decision on a request, or (with `open`) taking one back; `at` is when, unless reopened. */
export type RefundDecision =
  | { status: 'approved' | 'declined'; by: RefundDecider; note?: string | undefined; at: string }
  | { status: 'open' }

/** Refund requests; one per order, by a unique column. */
export interface RefundRequestStore {
  /** Stores an open request; undefined when its order has one already. */
  insertRefundRequest(request: NewRefundRequest): Promise<RefundRequest | undefined>
  getRefundRequest(id: string): Promise<RefundRequest | undefined>
  getRefundRequestOfOrder(callerReference: string): Promise<RefundRequest | undefined>
  /** Newest first. */
  listRefundRequests(query: {
    status?: RefundRequestStatus | undefined
    limit: number
  }): Promise<RefundRequest[]>
  /**
   * Approved requests with no refund stored since their decision (one of their amount): what a
   * crash between the approval and its refund left, oldest decision first, however many approved
   * requests were refunded since.
   */
  listUnrefundedApprovals(limit: number): Promise<RefundRequest[]>
  /**
   * Applies a decision to a request that is `from`, in one conditional update, so of two racing
   * decisions one applies; undefined if the request was not `from`.
   */
  decideRefundRequest(
    id: string,
    from: RefundRequestStatus,
    decision: RefundDecision
  ): Promise<RefundRequest | undefined>
}
