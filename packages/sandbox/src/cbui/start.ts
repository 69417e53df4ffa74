import {
  InvalidParameterError,
  type PipelineName,
  validatePipelineParams,
  verifySignature,
} from '@fps-checkout/protocol'
import type { SandboxState } from '../state/store.js'

/** A CBUI request the sandbox accepted, or the `errorMessage` of its CE return. */
export type StartCheck =
  | { ok: true; pipeline: PipelineName; callerAccountId: string }
  | { ok: false; errorMessage: string }

const refuse = (errorMessage: string): StartCheck => ({ ok: false, errorMessage })

/**
 * Checks a pipeline request as the CBUI did before showing any page: parameters, the caller's
 * key and Signature V2 (the host with or without the port), and for EditToken the token itself.
 */
export function checkStart(
  state: SandboxState,
  endpoint: string,
  params: Record<string, string>
): StartCheck {
  try {
    validatePipelineParams(params)
  } catch (error) {
    if (!(error instanceof InvalidParameterError)) throw error
    return refuse(
      `The following input(s) are not well formed: [${error.parameter}] (${error.message})`
    )
  }
  const pipeline = params.pipelineName as PipelineName
  const credential = state.credentials.get(params.callerKey ?? '')
  if (!credential)
    return refuse(`The callerKey ${params.callerKey} is not registered with the sandbox.`)
  if (params.signature === undefined)
    return refuse('The request is not signed: signature is required.')
  if (!verifySignature({ method: 'GET', endpoint, params, secretKey: credential.secretKey })) {
    return refuse(
      'The signature does not match: check the secret key and the Signature Version 2 string to sign.'
    )
  }
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
      return refuse(
        `The tokenId ${params.tokenId} is not an active sender token installed by this caller.`
      )
    }
  }
  return { ok: true, pipeline, callerAccountId: credential.accountId }
}
