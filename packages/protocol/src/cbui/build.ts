import { encodeRfc3986 } from '../signature/encoding.js'
import { canonicalQuery, type SignatureMethod, signCanonicalQuery } from '../signature/sigv2.js'
import {
  CBUI_ENDPOINTS,
  CBUI_VERSION,
  type ParameterKind,
  type PIPELINES,
  type PipelineName,
} from './parameters.js'
import { validatePipelineParams } from './validate.js'

type Specs = typeof PIPELINES
type ValueOf<K extends ParameterKind> = K extends 'boolean'
  ? boolean
  : K extends 'epoch'
    ? Date | number
    : string
type Managed =
  | 'callerKey'
  | 'version'
  | 'signatureMethod'
  | 'signatureVersion'
  | 'signature'
  | 'pipelineName'
type RequiredKeys<S> = { [K in keyof S]: S[K] extends { required: true } ? K : never }[keyof S]
type Spec<P extends PipelineName, K> = K extends keyof Specs[P] ? Specs[P][K] : never
type KindOf<P extends PipelineName, K> =
  Spec<P, K> extends { kind: infer T extends ParameterKind } ? T : never

/** A request for one pipeline, in FPS's parameter names: booleans as booleans, dates as Dates. */
export type PipelineRequest<P extends PipelineName> = { pipelineName: P } & {
  [K in Exclude<RequiredKeys<Specs[P]>, Managed>]: ValueOf<KindOf<P, K>>
} & { [K in Exclude<keyof Specs[P], RequiredKeys<Specs[P]> | Managed>]?: ValueOf<KindOf<P, K>> }

/** A request for any pipeline, discriminated by `pipelineName`. */
export type CbuiRequest = { [P in PipelineName]: PipelineRequest<P> }[PipelineName]

/** What signing a CBUI request needs besides the request itself. */
export interface CbuiSigning {
  /** `production`, `sandbox`, or the full URL of a CBUI start page (the local sandbox). */
  endpoint: keyof typeof CBUI_ENDPOINTS | (string & {})
  accessKeyId: string
  secretKey: string
  signatureMethod?: SignatureMethod
}

/**
 * Validates a CBUI request and returns the signed URL the buyer is sent to. Invalid input throws
 * an `InvalidParameterError` naming the parameter.
 *
 * @example
 * buildCbuiUrl({ endpoint: 'sandbox', accessKeyId, secretKey, request: {
 *   pipelineName: 'SingleUse', callerReference: 'order-1', returnURL: 'https://shop.example/return',
 *   transactionAmount: '0.90', paymentReason: 'Now and Forever' } })
 */
export function buildCbuiUrl(options: CbuiSigning & { request: CbuiRequest }): string {
  const endpoint = resolveCbuiEndpoint(options.endpoint)
  const signatureMethod = options.signatureMethod ?? 'HmacSHA256'
  const secretKey = options.secretKey
  const params = toWire(options.request)
  params.callerKey = options.accessKeyId
  params.version = CBUI_VERSION
  params.signatureMethod = signatureMethod
  params.signatureVersion = '2'
  validatePipelineParams(params)
  const query = canonicalQuery(params)
  const signature = signCanonicalQuery({
    method: 'GET',
    endpoint,
    query,
    secretKey,
    signatureMethod,
  })
  return `${endpoint}?${query}&signature=${encodeRfc3986(signature)}`
}

/** Maps the named targets to their historic URLs and leaves any other URL as given. */
export function resolveCbuiEndpoint(endpoint: CbuiSigning['endpoint']): string {
  return Object.hasOwn(CBUI_ENDPOINTS, endpoint)
    ? CBUI_ENDPOINTS[endpoint as keyof typeof CBUI_ENDPOINTS]
    : endpoint
}

/** Writes a request in wire form; built in place, as spreading into a literal is slow in V8 here. */
function toWire(request: CbuiRequest): Record<string, string> {
  const params: Record<string, string> = {}
  const fields = request as Readonly<Record<string, unknown>>
  for (const name in fields) {
    const value = fields[name]
    if (typeof value === 'string') params[name] = value
    else if (typeof value === 'boolean') params[name] = value ? 'True' : 'False'
    else if (value instanceof Date) params[name] = String(Math.floor(value.getTime() / 1000))
    else if (value !== undefined) params[name] = String(value)
  }
  return params
}
