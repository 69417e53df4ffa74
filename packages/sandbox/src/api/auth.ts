import { verifySignature } from '@fps-checkout/protocol'
import { API_VERSIONS, type ApiVersion } from '../engine/context.js'
import { FpsFault } from '../errors.js'
import type { Credential, SandboxState } from '../state/store.js'

/** The parameters every signed request carries; they are not the action's own parameters. */
export const COMMON_PARAMS = [
  'Action',
  'AWSAccessKeyId',
  'Signature',
  'SignatureMethod',
  'SignatureVersion',
  'Timestamp',
  'Expires',
  'Version',
] as const

/** FPS's window is undocumented; 15 minutes is what AWS Query APIs used (inferred). */
const TIMESTAMP_WINDOW_MS = 15 * 60 * 1000
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/

/** Who sent a request and which API version it speaks. */
export interface Authenticated {
  credential: Credential | undefined
  version: ApiVersion
}

interface Inbound {
  method: 'GET' | 'POST'
  endpoint: string
  params: Record<string, string>
  state: SandboxState
  /** The sandbox's time, which a client sharing its clock (a signer given `clock.now`) signs by. */
  now: Date
  /** The time before tests moved the sandbox's clock ahead, which every other client signs by. */
  wallNow: Date
}

const isApiVersion = (version: string | undefined): version is ApiVersion =>
  (API_VERSIONS as readonly (string | undefined)[]).includes(version)

/**
 * Reads `Version`, refusing versions whose XML namespace the sandbox does not speak. The refusal is
 * `InvalidParams` ("one or more parameters are invalid"), the closest code in FPS's own error table:
 * `InvalidParameterValue` is not in it, and clients that map each code of that table to a class
 * (amazon_flex_pay) crash on a code outside it.
 */
function apiVersion(params: Record<string, string>): ApiVersion {
  const version = params.Version
  if (version === undefined) throw new FpsFault('InvalidParams', 'Version is required.')
  if (!isApiVersion(version)) {
    throw new FpsFault(
      'InvalidParams',
      `Value (${version}) for parameter Version is invalid. Use one of ${API_VERSIONS.join(', ')}.`
    )
  }
  return version
}

/**
 * Checks a request's Signature Version 2 and its freshness. VerifySignature may come unsigned, as
 * the official helpers sent it; every other action needs a known key and a matching signature.
 */
export function authenticate(request: Inbound): Authenticated {
  const { params } = request
  const version = apiVersion(params)
  if (
    params.Action === 'VerifySignature' &&
    params.AWSAccessKeyId === undefined &&
    params.Signature === undefined
  ) {
    return { credential: undefined, version }
  }
  const credential = request.state.credentials.get(params.AWSAccessKeyId ?? '')
  if (!credential) {
    throw new FpsFault(
      'InvalidClientTokenId',
      'The AWS Access Key Id you provided does not exist in our records.'
    )
  }
  if (params.SignatureVersion !== '2') {
    throw new FpsFault(
      'InvalidParameterValue',
      `Value (${params.SignatureVersion ?? ''}) for parameter SignatureVersion is invalid. Must be 2.`
    )
  }
  if (params.SignatureMethod !== 'HmacSHA256' && params.SignatureMethod !== 'HmacSHA1') {
    throw new FpsFault(
      'InvalidParameterValue',
      `Value (${params.SignatureMethod ?? ''}) for parameter SignatureMethod is invalid. Must be HmacSHA256 or HmacSHA1.`
    )
  }
  const { method, endpoint } = request
  if (!verifySignature({ method, endpoint, params, secretKey: credential.secretKey })) {
    throw new FpsFault(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.'
    )
  }
  checkFreshness(params, [request.now, request.wallNow])
  return { credential, version }
}

function parseTime(value: string, parameter: string): number {
  const time = ISO_8601.test(value) ? Date.parse(value.replace(/(\.\d{3})\d+/, '$1')) : Number.NaN
  if (Number.isNaN(time)) {
    throw new FpsFault(
      'InvalidParameterValue',
      `Value (${value}) for parameter ${parameter} is invalid. Must be in ISO8601 format.`
    )
  }
  return time
}

/**
 * Freshness guards against replayed requests, not business time: a request is fresh by either
 * clock, so both a client whose clock moved with the sandbox's and one whose did not get in.
 */
function checkFreshness(params: Record<string, string>, nows: readonly Date[]): void {
  const { Timestamp: timestamp, Expires: expires } = params
  if ((timestamp === undefined) === (expires === undefined)) {
    throw new FpsFault('InvalidParams', 'Exactly one of Timestamp and Expires is required.')
  }
  if (timestamp !== undefined) {
    const signed = parseTime(timestamp, 'Timestamp')
    if (nows.every((now) => Math.abs(now.getTime() - signed) > TIMESTAMP_WINDOW_MS))
      throw new FpsFault('RequestExpired', `Request has expired. Timestamp date is ${timestamp}`)
  }
  if (expires !== undefined) {
    const until = parseTime(expires, 'Expires')
    if (nows.every((now) => now.getTime() > until))
      throw new FpsFault('RequestExpired', `Request has expired. Expires date is ${expires}`)
  }
}
