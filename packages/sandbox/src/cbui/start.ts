import {
  InvalidParameterError,
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
  | { kind: 'accepted'; pipeline: PipelineName; callerAccountId: string }
  | { kind: 'callerError'; errorMessage: string }
  | { kind: 'unauthenticated'; errorMessage: string }

const callerError = (errorMessage: string): StartCheck => ({ kind: 'callerError', errorMessage })
const unauthenticated = (errorMessage: string): StartCheck => ({
  kind: 'unauthenticated',
  errorMessage,
})

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
  try {
    validatePipelineParams(params)
  } catch (error) {
    if (!(error instanceof InvalidParameterError)) throw error
    return callerError(
      `The following input(s) are not well formed: [${error.parameter}] (${error.message})`
    )
  }
  const pipeline = params.pipelineName as PipelineName
  if (pipeline === 'EditToken') {
    const token = state.tokens.get(params.tokenId ?? '')
    if (
      !token ||
      token.callerAccountId !== credential.accountId ||
      token.status !== 'Active' ||
      token.type === 'Unrestricted' ||
      token.paymentMethod === 'Prepaid' ||
      token.paymentMethod === 'Debt'
    ) {
      return callerError(
        `The tokenId ${params.tokenId} is not an active sender token installed by this caller.`
      )
    }
  }
  return { kind: 'accepted', pipeline, callerAccountId: credential.accountId }
}
