import type { MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { SignerError } from '../errors.js'
import { bodyAlreadyRead, bodyReadElsewhere, incompleteBody } from '../http/body.js'

/** The largest body the signer reads. */
export interface BodySizeOptions {
  maxBytes: number
}

/**
 * Refuses bodies over `maxBytes` with 413 `payload_too_large`. A declared `Content-Length` is
 * judged from the header alone, which leaves the body to the route's fast reader; any other body
 * (chunked, or a `Request` built in process) is counted as it streams in, and one that stops
 * arriving (the client hung up) is a 400 `invalid_request` saying so. A body that another
 * framework's middleware already read is a 500 `body_already_read`, judged here since nothing of
 * the signer's has read it yet.
 */
export const bodySize = ({ maxBytes }: BodySizeOptions): MiddlewareHandler => {
  const tooLarge = (): never => {
    throw new SignerError('payload_too_large', `The body is over ${maxBytes} bytes.`)
  }
  const streamed = bodyLimit({ maxSize: maxBytes, onError: tooLarge })
  return async function bodySize(c, next) {
    if (bodyReadElsewhere(c)) throw bodyAlreadyRead()
    const length = c.req.header('content-length')
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) {
      if (c.req.method === 'GET' || c.req.method === 'HEAD') return next()
      let received = false
      try {
        return await streamed(c, () => {
          received = true
          return next()
        })
      } catch (error) {
        if (received || error instanceof SignerError) throw error
        throw incompleteBody()
      }
    }
    if (Number(length) > maxBytes) tooLarge()
    await next()
  }
}
