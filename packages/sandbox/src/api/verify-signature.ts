import { z } from 'zod'
import { FpsFault } from '../errors.js'
import { action } from './action-spec.js'
import { text } from './fields.js'

const schema = z.strictObject({ UrlEndPoint: text(2048), HttpParameters: z.string() })

/**
 * VerifySignature: checks a return or IPN the sandbox signed, given the URL that received it and
 * every parameter it carried. Answers Success or Failure; only a missing certificateUrl is an error.
 */
export const verifySignatureAction = action({
  schema,
  idempotent: false,
  mutates: false,
  run: (ctx, input) => {
    const params = Object.fromEntries(new URLSearchParams(input.HttpParameters))
    if (params.certificateUrl === undefined) {
      throw new FpsFault('InvalidParams', "certificateUrl is missing in 'HttpParameters'.")
    }
    const verified = ctx.verifyOutbound(input.UrlEndPoint, params)
    return { VerificationStatus: verified ? 'Success' : 'Failure' }
  },
})
