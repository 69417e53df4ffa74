/** This tab's open purchase attempts: an Idempotency-Key by purchase (signer and request body). */
export type Attempts = Record<string, string>

/** Where the attempts live; `<fps-return>` clears it when the buyer is back. */
export const attemptsKey = 'fps:attempts'

/** This tab's last order: its caller reference and the bearer token that opens it. */
export interface SavedOrder {
  ref: string
  token: string
}

/** Where this tab keeps its last order (from the checkout, then the return), for a later look-up. */
export const savedOrderKey = 'fps:order'

/**
 * Reads a JSON value from sessionStorage; undefined when there is none. Never throws: storage can
 * be disabled, and checkout must still work.
 */
export function readStored<T>(key: string): T | undefined {
  try {
    const json = sessionStorage.getItem(key)
    return json === null ? undefined : JSON.parse(json)
  } catch {
    return undefined
  }
}

/** Writes a JSON value to sessionStorage. Never throws: storage can be disabled or full. */
export function writeStored(key: string, value: object): void {
  try {
    sessionStorage.setItem(key, JSON.stringify(value))
  } catch {
    // not kept: after a reload the tab starts afresh, as without storage
  }
}

/**
 * A new Idempotency-Key: 128 random bits in hex. From `getRandomValues`, which every page has:
 * `crypto.randomUUID` exists only in secure contexts, and a shop on plain http at a LAN address
 * or a staging host is not one.
 */
export function newAttemptKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')
}
