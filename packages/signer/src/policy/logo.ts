import { isSecureUrl } from '@fps-checkout/protocol'
import { SignerError } from '../errors.js'

/**
 * Admits a co-branding logo only over https (or http on a loopback host, for a shop on a developer's
 * machine) from a configured host, because CBUI shows it on the payment pages and FPS required
 * https; a host list keeps arbitrary images off them.
 */
export function checkLogo(logo: string, allowedHosts: readonly string[]): string {
  let url: URL
  try {
    url = new URL(logo)
  } catch {
    throw new SignerError('logo_not_allowed', 'The logo must be an absolute https URL.')
  }
  if (!isSecureUrl(url) || url.username !== '' || url.password !== '') {
    throw new SignerError('logo_not_allowed', 'The logo must be an https URL without credentials.')
  }
  if (!allowedHosts.includes(url.hostname)) {
    throw new SignerError(
      'logo_not_allowed',
      `The logo's host "${url.hostname}" is not one of FPS_LOGO_HOSTS.`
    )
  }
  return url.href
}
