import { createHmac } from 'node:crypto'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { type Figure, median } from '../measure.js'
import { checkout } from '../sign.js'
import { gain, interleaved, medianRatio } from './compare.js'
import { type Graft, treeFile, variantSources } from './variants.js'

/** What the signer's memo does without memory, export by export: the stock path. */
const STOCK: Record<string, string> = {
  sortedNames: '(names, sort) => sort(names)',
  encodedPair: "(name, value, encode) => encode(name) + '=' + encode(value)",
  endpointLines: '(endpoint, lines) => lines(endpoint)',
  passedBefore: '() => false',
  passed: '() => {}',
}

/** The memo's pieces, by the exports each one is. */
const PIECES: Record<string, string[]> = {
  sort_order: ['sortedNames'],
  encoded_pairs: ['encodedPair'],
  endpoint_lines: ['endpointLines'],
  validation_memo: ['passedBefore', 'passed'],
}

/** The tree's memo with only the `kept` exports remembering; the others run the stock path. */
function memoKeeping(kept: readonly string[]): Graft[] {
  const exports = Object.entries(STOCK).map(
    ([name, stock]) => `export const ${name} = ${kept.includes(name) ? `memo.${name}` : stock}`
  )
  return [
    { path: 'signature/memo-kept.ts', text: treeFile('protocol', 'signature/memo.ts') },
    {
      path: 'signature/memo.ts',
      text: [`import * as memo from './memo-kept.js'`, ...exports, ''].join('\n'),
    },
  ]
}

/** The protocol's variants: no memory, each piece of the memo alone, and the whole memo. */
const VARIANTS: Record<string, Graft[]> = {
  stock: memoKeeping([]),
  ...Object.fromEntries(
    Object.entries(PIECES).map(([piece, names]) => [piece, memoKeeping(names)])
  ),
  signer_memo: [],
}

const accessKeyId = 'AKIAIOSFODNN7EXAMPLE'
const secretKey = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
const endpoint = 'https://authorize.payments-sandbox.amazon.com/cobranded-ui/actions/start'

/** A fresh callerReference per signature, as the signing benchmark's checkouts have. */
let order = 0

/**
 * `sign_ratio` (CBUI URL signing ÷ a bare HMAC of the same bytes) per protocol variant. The whole
 * memo is the piece judged; its parts alone are shown, not judged (their gains multiply).
 */
export async function signingMachinery(): Promise<Figure[]> {
  const workloads: Record<string, () => unknown> = {}
  let bytes = ''
  for (const [name, grafts] of Object.entries(VARIANTS)) {
    const src = variantSources('protocol', `signing-${name}`, grafts)
    const protocol = (await import(
      pathToFileURL(join(src, 'index.ts')).href
    )) as typeof import('@fps-checkout/protocol')
    const sign = () =>
      protocol.buildCbuiUrl({ accessKeyId, secretKey, endpoint, request: checkout(++order) })
    workloads[name] = sign
    bytes ||= protocol.stringToSign({
      method: 'GET',
      endpoint,
      params: Object.fromEntries(new URL(sign()).searchParams),
    })
  }
  workloads.hmac = () => createHmac('sha256', secretKey).update(bytes).digest('base64')
  const rates = interleaved(workloads)
  const of = (name: string) => rates[name] ?? []
  return [
    ...Object.keys(VARIANTS).map(
      (name): Figure => ({
        name: `sign_ratio_${name}`,
        value: medianRatio(of(name), of('hmac')),
        unit: 'ratio',
        note: `${Math.round(median(of(name)))} vs ${Math.round(median(of('hmac')))} HMACs/s`,
      })
    ),
    ...Object.keys(PIECES).map(
      (piece): Figure => ({
        name: `${piece}_alone_gain_sign_ratio`,
        value: medianRatio(of(piece), of('stock')),
        unit: '×',
        note: 'a part of signer_memo',
      })
    ),
    gain('signer_memo', 'sign_ratio', medianRatio(of('signer_memo'), of('stock'))),
  ]
}
