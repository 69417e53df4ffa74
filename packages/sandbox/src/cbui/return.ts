import { encodeRfc3986 } from '@fps-checkout/protocol'
import { signOutbound } from '../certs/outbound.js'
import type { Runtime } from '../runtime.js'

/**
 * The URL the buyer is sent back to: the caller's returnURL, its own query kept, plus the return
 * parameters, RSA-SHA1 signed over all of them as FPS signed returns.
 */
export function returnLocation(
  runtime: Runtime,
  returnURL: string,
  params: Record<string, string>
): string {
  const url = new URL(returnURL)
  const endpoint = `${url.origin}${url.pathname}`
  const signed = signOutbound(
    'GET',
    endpoint,
    { ...Object.fromEntries(url.searchParams), ...params },
    runtime.key,
    runtime.origin
  )
  const query = Object.entries(signed)
    .map(([name, value]) => `${encodeRfc3986(name)}=${encodeRfc3986(value)}`)
    .join('&')
  return `${endpoint}?${query}${url.hash}`
}

/**
 * An http(s) origin whose host is a DNS name or an IP address: the URL parser lets through hosts
 * such as `a,b` or `a;b`, which would change the meaning of the policy header they are named in.
 */
const PLAIN_ORIGIN = /^https?:\/\/([a-z0-9_-]+(\.[a-z0-9_-]+)*\.?|\[[0-9a-f:.]+\])(:\d+)?$/

/** The origin of a returnURL, or undefined when it cannot be sent back to. */
export function returnOrigin(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  try {
    const { origin } = new URL(value)
    return PLAIN_ORIGIN.test(origin) ? origin : undefined
  } catch {
    return undefined
  }
}

/** Whether a returnURL can be sent back to at all; otherwise the sandbox shows an error page. */
export function usableReturnUrl(value: string | undefined): value is string {
  return returnOrigin(value) !== undefined
}
