/** This tab's open purchase attempts: an Idempotency-Key by purchase (signer and request body). */
export type Attempts = Record<string, string>

/** The buyer's last order on this shop: its caller reference and the bearer token that opens it. */
export interface SavedOrder {
  ref: string
  token: string
}

/** A value kept in Web Storage: its key, and the storage area that decides how long it lives. */
export interface Slot<T> {
  key: string
  area: 'sessionStorage' | 'localStorage'
  /** Only types the slot; never set. */
  value?: T
}

/**
 * The attempts live as long as the tab: another tab is another purchase. `<fps-return>` clears
 * them when the buyer is back.
 */
export const attemptsSlot: Slot<Attempts> = { key: 'fps:attempts', area: 'sessionStorage' }

/**
 * The last order outlives the tab (from the checkout, then the return): a buyer who closed the tab
 * on the payment pages finds the order, paid by the IPN or the sweep, on the next visit.
 */
export const savedOrderSlot: Slot<SavedOrder> = { key: 'fps:order', area: 'localStorage' }

/**
 * Reads a slot's JSON value; undefined when there is none. Never throws: storage can be disabled
 * (reading `localStorage` itself throws then), and checkout must still work.
 */
export function readStored<T>(slot: Slot<T>): T | undefined {
  try {
    const json = window[slot.area].getItem(slot.key)
    return json === null ? undefined : JSON.parse(json)
  } catch {
    return undefined
  }
}

/** Writes a slot's JSON value. Never throws: storage can be disabled or full. */
export function writeStored<T>(slot: Slot<T>, value: T): void {
  try {
    window[slot.area].setItem(slot.key, JSON.stringify(value))
  } catch {
    // not kept: the page goes on as without storage
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
