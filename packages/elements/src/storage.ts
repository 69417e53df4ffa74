/** This tab's open purchase attempts: an Idempotency-Key by purchase (signer and request body). */
export type Attempts = Record<string, string>

/** Where the attempts live; `<fps-return>` clears it when the buyer is back. */
export const attemptsKey = 'fps:attempts'

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
