import { readFileSync } from 'node:fs'
import { ConfigError } from './errors.js'
import type { CallerOptions } from './runtime.js'
import type { ServeOptions } from './serve.js'

/** `key:secret[:account]`; secrets never contain a colon in AWS's alphabet. */
export function parseCaller(value: string, ipnUrl: string | undefined): CallerOptions {
  const [accessKeyId, secretKey, account] = value.split(':')
  if (!accessKeyId || !secretKey) {
    throw new ConfigError(
      `--caller "${accessKeyId ?? ''}:…" must look like <accessKeyId>:<secretKey>[:<account>].`
    )
  }
  return { accessKeyId, secretKey, ...(account && { account }), ...(ipnUrl && { ipnUrl }) }
}

/** A whole-number flag, or its default when absent. */
export function parseNumber(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback
  if (!/^\d+$/.test(value)) throw new ConfigError(`${flag} must be a whole number, not "${value}".`)
  return Number(value)
}

/** An origin (scheme, host, port) with nothing after it: certificate URLs are built on it. */
export function parsePublicUrl(value: string): string {
  const url = URL.canParse(value) ? new URL(value) : undefined
  if (!url || !/^https?:$/.test(url.protocol) || url.pathname !== '/' || url.search || url.hash) {
    throw new ConfigError(
      `--public-url must be an http(s) origin such as https://fps.sandbox.amazonaws.com, not "${value}".`
    )
  }
  return url.origin
}

/** The PEM files of --tls-cert and --tls-key, which come as a pair. */
export function readTls(cert: string | undefined, key: string | undefined): ServeOptions['tls'] {
  if (cert === undefined && key === undefined) return undefined
  if (cert === undefined || key === undefined)
    throw new ConfigError('--tls-cert and --tls-key go together: give both, or neither for http.')
  const read = (file: string, flag: string) => {
    try {
      return readFileSync(file, 'utf8')
    } catch (error) {
      throw new ConfigError(`${flag} ${file} cannot be read: ${(error as Error).message}`)
    }
  }
  return { cert: read(cert, '--tls-cert'), key: read(key, '--tls-key') }
}
