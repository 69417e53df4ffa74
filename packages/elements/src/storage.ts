/** This tab's open purchase attempts: an Idempotency-Key by purchase (signer and request body). */
export type Attempts = Record<string, string>

/**
 * Reads, or writes then reads, a JSON value in sessionStorage. Never throws: storage can be
 * disabled or full, and checkout must still work.
 */
export function store<T>(key: string, value?: T): T | undefined {
  try {
    if (value) sessionStorage[key] = JSON.stringify(value)
    return JSON.parse(sessionStorage[key])
  } catch {
    return undefined
  }
}

/** Where the attempts live; `<fps-return>` clears it when the buyer is back. */
export const attemptsKey = 'fps:attempts'
