import type { MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { SignerError } from '../errors.js'

/** The largest body the signer reads. */
export interface BodySizeOptions {
  maxBytes: number
}

/**
 * Refuses bodies over `maxBytes` with 413 `payload_too_large`. A declared `Content-Length` is
 * judged from the header alone, which leaves the body to the route's fast reader; any other body
 * (chunked, or a `Request` built in process) is counted as it streams in.
 */
export const bodySize = ({ maxBytes }: BodySizeOptions): MiddlewareHandler => {
  const tooLarge = (): never => {
    throw new SignerError('payload_too_large', `The body is over ${maxBytes} bytes.`)
  }
  const streamed = bodyLimit({ maxSize: maxBytes, onError: tooLarge })
  return async function bodySize(c, next) {
    const length = c.req.header('content-length')
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) {
      return c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : streamed(c, next)
    }
    if (Number(length) > maxBytes) tooLarge()
    await next()
  }
}
