import type { ErrorCode, ErrorResponse } from '@fps-checkout/signer/http'

/**
 * A failed call to the signer, as `fps-error` and `fps-return-rejected` carry it. `code` is the
 * signer's stable error code, or `network` when it could not be reached and `bad_response` when it
 * answered outside the contract; `status` is the HTTP status of the failed answer (0 without
 * one); `message` and `retriable` are the signer's, when it sent them.
 */
export interface FpsError extends Partial<Omit<ErrorResponse['error'], 'code'>> {
  code: ErrorCode | 'network' | 'bad_response'
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

  /** The signer's stable error code, or `network` or `bad_response`. */
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
