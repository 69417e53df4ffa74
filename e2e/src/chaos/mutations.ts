import fc from 'fast-check'

/** One change to a signed message: a single byte, or a single field of its parameters. */
export type Mutation =
  | { kind: 'replace-byte' | 'insert-byte'; at: number; byte: number }
  | { kind: 'delete-byte'; at: number }
  | { kind: 'drop-field' | 'duplicate-field'; field: number }
  | { kind: 'set-field'; field: number; value: string }
  | { kind: 'rename-field'; field: number; name: string }
  | { kind: 'add-field'; name: string; value: string }
  | { kind: 'swap-values'; field: number; other: number }
  | { kind: 'edit-char'; field: number; at: number; char: string }

/** Values worth trying in any field: outcomes, amounts, other hosts' certificates, the empty string. */
const SUSPECT_VALUES = ['', 'SC', 'SA', 'SB', 'A', 'SE', 'SUCCESS', 'FAILURE', 'PENDING', '0.01']
  .concat(['999999.99', '-1', 'PAY', 'REFUND', '2', 'HmacSHA256', 'RSA-SHA256'])
  .concat(['http://127.0.0.1:9/cert.pem', 'https://fps.amazonaws.com/certs/090909/PKICert.pem'])

/**
 * Mutations of a form-encoded message; positions are taken modulo the message's length, so one
 * arbitrary serves every message. `donors` are the values of genuine messages, to splice a field
 * of one order into another.
 */
export function mutation(donors: readonly string[]): fc.Arbitrary<Mutation> {
  const value = fc.oneof(
    fc.constantFrom(...SUSPECT_VALUES, ...donors),
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 8 })
  )
  const name = fc.oneof(fc.constantFrom('Signature', 'status ', 'tokenId', 'amount'), fc.string())
  const at = fc.nat()
  const field = fc.nat()
  const byte = fc.integer({ min: 0, max: 255 })
  return fc.oneof(
    fc.record({ kind: fc.constantFrom('replace-byte', 'insert-byte'), at, byte }),
    fc.record({ kind: fc.constant('delete-byte'), at }),
    fc.record({ kind: fc.constantFrom('drop-field', 'duplicate-field'), field }),
    fc.record({ kind: fc.constant('set-field'), field, value }),
    fc.record({ kind: fc.constant('rename-field'), field, name }),
    fc.record({ kind: fc.constant('add-field'), name, value }),
    fc.record({ kind: fc.constant('swap-values'), field, other: field }),
    fc.record({
      kind: fc.constant('edit-char'),
      field,
      at,
      char: fc.string({ minLength: 1, maxLength: 1 }),
    })
  ) as fc.Arbitrary<Mutation>
}

/** Applies one mutation to a message's bytes (form-encoded ASCII, as FPS sent them). */
export function mutate(message: Uint8Array, m: Mutation): Uint8Array<ArrayBuffer> {
  const bytes = [...message]
  const byteAt = (at: number) => at % Math.max(bytes.length, 1)
  if (m.kind === 'replace-byte') bytes[byteAt(m.at)] = m.byte
  if (m.kind === 'insert-byte') bytes.splice(m.at % (bytes.length + 1), 0, m.byte)
  if (m.kind === 'delete-byte') bytes.splice(byteAt(m.at), 1)
  if (m.kind.endsWith('-byte')) return Uint8Array.from(bytes)
  const pairs = [...new URLSearchParams(Buffer.from(message).toString('latin1'))]
  const index = 'field' in m ? m.field % pairs.length : 0
  const [name, value] = pairs[index] ?? ['', '']
  if (m.kind === 'drop-field') pairs.splice(index, 1)
  if (m.kind === 'duplicate-field') pairs.push([name, value])
  if (m.kind === 'set-field') pairs[index] = [name, m.value]
  if (m.kind === 'rename-field') pairs[index] = [m.name, value]
  if (m.kind === 'add-field') pairs.push([m.name, m.value])
  if (m.kind === 'swap-values') {
    const other = m.other % pairs.length
    pairs[index] = [name, pairs[other]?.[1] ?? '']
    pairs[other] = [pairs[other]?.[0] ?? '', value]
  }
  if (m.kind === 'edit-char') {
    const chars = [...value]
    chars.splice(m.at % (chars.length + 1), 1, m.char)
    pairs[index] = [name, chars.join('')]
  }
  return new TextEncoder().encode(new URLSearchParams(pairs).toString())
}

/**
 * The parameters a signer reads from a message, with the signature as the bytes it decodes to
 * (whitespace and padding aside): two messages with equal readings are the same signed message.
 */
function reading(text: string): string | undefined {
  const params = new Map<string, string>()
  for (const [name, value] of new URLSearchParams(text)) {
    if (params.has(name)) return undefined
    const bytes = Buffer.from(value.replace(/\s+/g, ''), 'base64').toString('hex')
    params.set(name, name === 'signature' ? bytes : value)
  }
  return JSON.stringify([...params].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

/** Whether a mutation left the message the signer reads unchanged (a re-encoding, not a forgery). */
export function sameMessage(original: string, mutated: string): boolean {
  const before = reading(original)
  return before !== undefined && before === reading(mutated)
}
