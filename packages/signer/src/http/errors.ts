import { FpsError, InvalidParameterError, SignatureError } from '@fps-checkout/protocol'
import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { SignerEnv } from '../env.js'
import { SignerError } from '../errors.js'
import type { ErrorResponse } from './contract.js'

/**
 * Maps anything thrown while handling a request to the error the client sees. Protocol failures
 * keep their meaning; anything unknown becomes an `internal_error` whose details stay in the log.
 */
function toSignerError(error: unknown): SignerError {
  if (error instanceof SignerError) return error
  if (error instanceof SignatureError && error.code === 'certificate_unreachable') {
    // not a verdict on the message: the buyer's return stays valid and may be sent again
    return new SignerError('upstream_error', error.message, { cause: error, retriable: true })
  }
  if (error instanceof SignatureError) {
    return new SignerError('signature_invalid', `The signature does not verify: ${error.message}`, {
      cause: error,
    })
  }
  if (error instanceof FpsError) {
    return new SignerError('upstream_error', `FPS answered ${error.code}: ${error.message}`, {
      cause: error,
      retriable: error.retriable,
    })
  }
  if (error instanceof InvalidParameterError) {
    return new SignerError('invalid_request', error.message, { cause: error })
  }
  if (error instanceof HTTPException && error.status === 413) {
    return new SignerError('payload_too_large', 'The body is larger than the signer accepts.')
  }
  return new SignerError('internal_error', 'Something went wrong on our side.', { cause: error })
}

/** Answers `{error: {code, message}}` (plus `retriable` for upstream errors) and logs the failure. */
export function errorResponse(error: unknown, c: Context<SignerEnv>): Response {
  const failure = toSignerError(error)
  const log = c.get('log')
  if (failure.code === 'internal_error') log?.error(failure.message, { code: failure.code, error })
  else if (failure.status >= 500) log?.warn(failure.message, { code: failure.code, error })
  else log?.info('refused', { code: failure.code, message: failure.message })
  if (failure.retryAfter !== undefined) c.header('Retry-After', String(failure.retryAfter))
  return c.json(
    {
      error: {
        code: failure.code,
        message: failure.message,
        ...(failure.retriable === undefined ? {} : { retriable: failure.retriable }),
      },
    } satisfies ErrorResponse,
    failure.status
  )
}
