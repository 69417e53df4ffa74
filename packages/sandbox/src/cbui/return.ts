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

/** Whether a returnURL can be sent back to at all; otherwise the sandbox shows an error page. */
export function usableReturnUrl(value: string | undefined): value is string {
  if (value === undefined) return false
  try {
    const { protocol } = new URL(value)
    return protocol === 'http:' || protocol === 'https:'
  } catch {
    return false
  }
}
