import type { ApiVersion } from '../engine/context.js'
import type { FpsFault } from '../errors.js'
import { newErrorRequestId, newRequestId } from '../ids.js'
import { type XmlObject, xmlDocument } from '../xml.js'

/** A rendered API answer: what is sent, and what the 7-day record keeps. */
export interface Answer {
  status: number
  body: string
}

/** `<{Action}Response xmlns=".../doc/{Version}/">` with the Result (if any) and the RequestId. */
export function successAnswer(
  action: string,
  version: ApiVersion,
  result: XmlObject | undefined
): Answer {
  const body = xmlDocument(
    `${action}Response`,
    { [`${action}Result`]: result, ResponseMetadata: { RequestId: newRequestId() } },
    `http://fps.amazonaws.com/doc/${version}/`
  )
  return { status: 200, body }
}

/** The `<Response><Errors>` form FPS actually sent for REST/Query errors (no namespace). */
export function errorAnswer(fault: FpsFault): Answer {
  const body = xmlDocument('Response', {
    Errors: { Error: { Code: fault.code, Message: fault.message } },
    RequestID: newErrorRequestId(),
  })
  return { status: fault.status, body }
}
