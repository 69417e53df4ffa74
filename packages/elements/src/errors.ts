import type { ErrorCode, ErrorResponse } from '@fps-checkout/signer/http'

/**
 * A failed call to the signer, as `fps-error` and `fps-return-rejected` carry it. `code` is the
 * signer's stable error code, or one of the elements' own: `bad_response` when the signer answered
 * outside the contract, and, when no answer came, `network` (the browser is offline), `blocked`
 * (the page's CSP refused the request) or `unreachable` (the signer is down, at another address,
 * or refused this page's origin). `status` is the HTTP status of the failed answer (0 without
 * one). `message` is the signer's, when it sent one, or says for the page's developer what to
 * check; `retriable` is the signer's.
 */
export interface FpsError extends Partial<Omit<ErrorResponse['error'], 'code'>> {
  code: ErrorCode | 'network' | 'blocked' | 'unreachable' | 'bad_response'
  status: number
}

/**
 * What the elements throw when a call to the signer fails, so a subclass tells it apart from a bug.
 * Its `detail` stays a plain record, which the events carry and a page can spread or serialize.
 */
export class FpsRequestError extends Error {
  override name = 'FpsRequestError'

  constructor(
    /** What the events carry: the code, the status, and what the signer said, as it said it. */
    readonly detail: FpsError,
    options?: ErrorOptions
  ) {
    super(detail.message ?? `The call to the signer failed: ${detail.code}`, options)
  }

  /** The signer's stable error code, or one of the elements' own (see {@link FpsError}). */
  get code(): FpsError['code'] {
    return this.detail.code
  }

  /** The HTTP status of the answer; 0 without one. */
  get status(): number {
    return this.detail.status
  }
}

/**
 * A failure to show: a request error as it is. Anything else thrown while an answer is handled
 * (a URL that does not parse, a body of another shape) means that answer was outside the contract;
 * its HTTP status was a success, so none is reported.
 */
export function asRequestError(thrown: unknown): FpsRequestError {
  return thrown instanceof FpsRequestError
    ? thrown
    : new FpsRequestError({ code: 'bad_response', status: 0 }, { cause: thrown })
}
