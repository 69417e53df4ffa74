import type { SignerConfig } from '../config.js'
import { ConfigError } from '../errors.js'
import type { SignerEvent } from '../http/contract.js'
import { signWebhook, webhookKey } from './signature.js'

/** How one try went: no `error` means delivered. */
export interface Tried {
  /** The endpoint's HTTP status, when it answered. */
  statusCode?: number
  error?: string
}

/** Where events go: the merchant's in-process handler, or a webhook endpoint. */
export interface Destination {
  /**
   * Whether an event failing for 3 days is given up (a webhook: the endpoint may be gone) or is
   * tried for good (the app's own handler, whose event stays in the outbox until it resolves).
   */
  givesUp: boolean
  deliver(event: SignerEvent): Promise<Tried>
}

/** The merchant's handler for events, awaited; a rejection is a failed try. */
export type EventHandler = (event: SignerEvent) => void | Promise<void>

/**
 * The one destination the settings name: `onEvent`, or the webhook URL; none without either. Both
 * at once is a `ConfigError`, since each would hold the other's retries back.
 */
export function destinationOf(
  config: SignerConfig,
  options: { onEvent: EventHandler | undefined; fetch: typeof fetch; now: () => Date }
): Destination | undefined {
  const { onEvent } = options
  if (onEvent && config.webhookUrl) {
    throw new ConfigError(
      'onEvent',
      'takes the place of FPS_WEBHOOK_URL: give events one destination'
    )
  }
  if (onEvent) {
    return {
      givesUp: false,
      async deliver(event) {
        await onEvent(event)
        return {}
      },
    }
  }
  return config.webhookUrl && config.webhookSecret
    ? webhook(config.webhookUrl, config.webhookSecret, config.webhookTimeoutMs, options)
    : undefined
}

/**
 * Posts each event as a Standard Webhooks message. Like every call the signer makes out, it
 * waits at most `timeoutMs`, follows no redirect (a 3xx is a failed try) and never reads the
 * answer's body, so nothing the endpoint says reaches the log.
 */
function webhook(
  url: string,
  secret: string,
  timeoutMs: number,
  { fetch, now }: { fetch: typeof globalThis.fetch; now: () => Date }
): Destination {
  // the settings have checked it (`resolveConfig`)
  const key = webhookKey(secret)!
  return {
    givesUp: true,
    async deliver(event) {
      const body = JSON.stringify(event)
      let response: Response
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...signWebhook(key, event.id, now(), body),
          },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        })
      } catch (error) {
        return { error: unanswered(error, timeoutMs) }
      }
      await response.body?.cancel().catch(() => undefined)
      const { status } = response
      const statusCode = status > 0 ? { statusCode: status } : {}
      if (status >= 200 && status < 300) return statusCode
      const redirect = response.type === 'opaqueredirect' || (status >= 300 && status < 400)
      return {
        ...statusCode,
        error: redirect ? `HTTP ${status}: redirects are not followed` : `HTTP ${status}`,
      }
    },
  }
}

/** Why no answer came, in words that carry no URL: a timeout, or the network's error code. */
function unanswered(error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && error.name === 'TimeoutError') {
    return `no answer within ${timeoutMs} ms`
  }
  const code = (error as { cause?: { code?: unknown } }).cause?.code
  return `no answer: ${typeof code === 'string' ? code : (error as Error).name}`
}
