const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/**
 * Whether a URL may carry what FPS required over https (the co-branding logo): https anywhere, or
 * http on a loopback host, which browsers also treat as a secure context, so a shop running on a
 * developer's machine can co-brand the local sandbox's pages without a certificate.
 */
export function isSecureUrl(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))
}
