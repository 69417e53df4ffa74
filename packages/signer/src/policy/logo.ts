import { isSecureUrl } from '@fps-checkout/protocol'
import { SignerError } from '../errors.js'

/**
 * Where logos may come from, as one entry of `logoHosts` says: a host name (or IP address) on
 * its scheme's default port, any path; or a URL prefix ending in `/`, for one origin and the paths
 * under it.
 */
export type LogoSource = { host: string } | { prefix: string }

/**
 * Reads one `logoHosts` entry, or answers undefined when it is neither a host name in its usual
 * form (`cdn.shop.example`, `192.0.2.1`, `[2001:db8::1]`; no port, no path) nor a URL prefix
 * like `https://cdn.shop.example/brand/` (https, or http on a loopback host; written as a browser
 * writes it, no credentials, query or fragment). Numeric host forms a URL parser rewrites, such
 * as `0x7f.1` or `3232235777`, are refused rather than guessed at.
 */
export function logoSource(entry: string): LogoSource | undefined {
  if (entry.includes('://')) {
    const url = parseUrl(entry)
    const prefix =
      url &&
      url.href === entry &&
      isSecureUrl(url) &&
      url.username === '' &&
      url.password === '' &&
      url.search === '' &&
      url.hash === '' &&
      entry.endsWith('/')
    return prefix ? { prefix: withHost(url, canonicalHost(url.hostname)).href } : undefined
  }
  const url = parseUrl(`https://${entry}/`)
  const host = url && canonicalHost(url.hostname)
  return host && host === canonicalHost(entry) && url.port === '' && url.pathname === '/'
    ? { host }
    : undefined
}

/**
 * Admits a co-branding logo only over https (or http on a loopback host, for a shop on a
 * developer's machine), because CBUI shows it on the payment pages and FPS required https, and
 * only from where `logoHosts` says (see `logoSource`), so arbitrary images stay off those pages:
 * a listed host on its default port, or a URL under a listed prefix. Host names are compared
 * canonically (any case, a trailing dot ignored); an IP address passes only when it is listed.
 * Answers the logo's URL in canonical form.
 */
export function checkLogo(logo: string, allowed: readonly string[]): string {
  const parsed = parseUrl(logo)
  if (!parsed) throw new SignerError('logo_not_allowed', 'The logo must be an absolute https URL.')
  if (!isSecureUrl(parsed) || parsed.username !== '' || parsed.password !== '') {
    throw new SignerError('logo_not_allowed', 'The logo must be an https URL without credentials.')
  }
  const url = withHost(parsed, canonicalHost(parsed.hostname))
  const admitted = allowed.some((entry) => {
    const source = logoSource(entry)
    if (source === undefined) return false
    if ('prefix' in source) return url.href.startsWith(source.prefix)
    return url.port === '' && url.hostname === source.host
  })
  if (!admitted) {
    throw new SignerError(
      'logo_not_allowed',
      `The logo at ${url.origin} is not from a host or URL prefix in FPS_LOGO_HOSTS.`
    )
  }
  return url.href
}

/** A host name as compared: lower case, without the trailing dot of a fully qualified name. */
function canonicalHost(host: string): string {
  return host.toLowerCase().replace(/\.$/, '')
}

function withHost(url: URL, hostname: string): URL {
  const copy = new URL(url.href)
  if (copy.hostname !== hostname) copy.hostname = hostname
  return copy
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value)
  } catch {
    return undefined
  }
}
