import { randomBytes, randomUUID } from 'node:crypto'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

/** Upper-case alphanumeric ids of a fixed length, the shape FPS gave tokens and transactions. */
function randomId(length: number): string {
  const bytes = randomBytes(length)
  let id = ''
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length]
  return id
}

/** A 64-character token id, as FPS issued them. */
export const newTokenId = (): string => randomId(64)

/** A 35-character transaction id, as FPS issued them. */
export const newTransactionId = (): string => randomId(35)

/** A success RequestId: a UUID with FPS's `:0` suffix. */
export const newRequestId = (): string => `${randomUUID()}:0`

/** An error RequestID: FPS sent a plain UUID there. */
export const newErrorRequestId = (): string => randomUUID()

/** An unguessable id for server-side CBUI sessions. */
export const newSessionId = (): string => randomBytes(18).toString('base64url')
