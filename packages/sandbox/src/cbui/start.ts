import {
  InvalidParameterError,
  isPipelineName,
  PIPELINES,
  type PipelineName,
  validatePipelineParams,
  verifySignature,
} from '@fps-checkout/protocol'
import type { SandboxState } from '../state/store.js'

/**
 * What the CBUI does with a pipeline request: start it; send the buyer back with a signed
 * `status=CE` (a known caller signed it, but it asks for something wrong); or refuse it with an
 * error page, because nothing proves a known caller sent it, so its returnURL is not to be trusted.
 */
export type StartCheck =
  | {
      kind: 'accepted'
      pipeline: PipelineName
      callerAccountId: string
      /** The request's parameters that its pipeline knows; the others were signed, and are ignored. */
      params: Record<string, string>
    }
  | { kind: 'callerError'; errorMessage: string }
  | { kind: 'unauthenticated'; errorMessage: string }

const callerError = (errorMessage: string): StartCheck => ({ kind: 'callerError', errorMessage })
const unauthenticated = (errorMessage: string): StartCheck => ({
  kind: 'unauthenticated',
  errorMessage,
})

/**
 * The parameters the request's pipeline knows. Signature V2 covers every parameter of the request,
 * so the rest were signed by the caller too: FPS ignored them (boto 2 signs a `CallerReference`
 * into every pipeline URL it builds), and so does the sandbox.
 */
function knownParams(params: Record<string, string>): Record<string, string> {
  if (!isPipelineName(params.pipelineName)) return params
  const known = PIPELINES[params.pipelineName]
  return Object.fromEntries(Object.entries(params).filter(([name]) => Object.hasOwn(known, name)))
}

/**
 * Checks a pipeline request as the CBUI did before showing any page: first the caller's key and
 * Signature V2 (the host with or without the port), and only then the parameters and, for
 * EditToken, the token itself. A signed `CE` return for a request anyone could have written would
 * let an attacker aim a genuine FPS answer at any merchant's return page.
 */
export function checkStart(
  state: SandboxState,
  endpoint: string,
  params: Record<string, string>
): StartCheck {
  if (params.callerKey === undefined || params.signature === undefined)
    return unauthenticated('The request is not signed: callerKey and signature are required.')
  const credential = state.credentials.get(params.callerKey)
  if (!credential)
    return unauthenticated(`The callerKey ${params.callerKey} is not registered with the sandbox.`)
  if (!verifySignature({ method: 'GET', endpoint, params, secretKey: credential.secretKey })) {
    return unauthenticated(
      'The signature does not match: check the secret key and the Signature Version 2 string to sign.'
    )
  }
  const known = knownParams(params)
  try {
    validatePipelineParams(known)
  } catch (error) {
    if (!(error instanceof InvalidParameterError)) throw error
    return callerError(
      `The following input(s) are not well formed: [${error.parameter}] (${error.message})`
    )
  }
  const pipeline = known.pipelineName as PipelineName
  if (pipeline === 'EditToken') {
    const token = state.tokens.get(known.tokenId ?? '')
    if (
      !token ||
      token.callerAccountId !== credential.accountId ||
      token.status !== 'Active' ||
      token.type === 'Unrestricted' ||
      token.paymentMethod === 'Prepaid' ||
      token.paymentMethod === 'Debt'
    ) {
      return callerError(
        `The tokenId ${known.tokenId} is not an active sender token installed by this caller.`
      )
    }
  }
  return { kind: 'accepted', pipeline, callerAccountId: credential.accountId, params: known }
}
