/**
 * Where an allowance stands: `authorizing` until its buyer's return installs the token, then
 * `active`; `spent` once its limit is reached or FPS refuses it; `revoked` by its buyer or FPS.
 */
export type AllowanceStatus = 'authorizing' | 'active' | 'spent' | 'revoked'

/**
 * A buyer's standing authorization to be charged in one click: FPS's MultiUse token, held by the
 * browser that started it (the hash of that browser's holder secret), keyed by the order whose
 * checkout asked for it.
 */
export interface StoredAllowance {
  callerReference: string
  /** The catalog's allowance id. */
  allowance: string
  holderHash: string
  tokenId: string | undefined
  limitCents: number
  currencyCode: string
  status: AllowanceStatus
  createdAt: string
  updatedAt: string
}

/** The fields an allowance starts with; it starts `authorizing`, with no token. */
export type NewAllowance = Omit<StoredAllowance, 'tokenId' | 'status' | 'updatedAt'>

/** Allowances; each move is conditional, so two processes move one allowance once. */
export interface AllowanceStore {
  insertAllowance(allowance: NewAllowance): Promise<void>
  getAllowance(callerReference: string): Promise<StoredAllowance | undefined>
  /** The holder's active allowance of that id, the newest if several. */
  findActiveAllowance(holderHash: string, allowance: string): Promise<StoredAllowance | undefined>
  /** The holder's allowances, newest first. */
  listAllowances(holderHash: string): Promise<StoredAllowance[]>
  /** Records the token the authorization installed; undefined unless it was `authorizing`. */
  activateAllowance(
    callerReference: string,
    tokenId: string,
    at: string
  ): Promise<StoredAllowance | undefined>
  /** Moves an allowance on from one of `from`; undefined if it was in none. */
  setAllowanceStatus(
    callerReference: string,
    from: readonly AllowanceStatus[],
    to: AllowanceStatus,
    at: string
  ): Promise<StoredAllowance | undefined>
  /** What the orders charged with this token add up to (in flight, paid or refunded). */
  spentWithToken(tokenId: string): Promise<number>
}
