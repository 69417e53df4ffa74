/** A vite plugin that squeezes the whitespace out of Lit's html`` and css`` templates. */
import { type Plugin, parseSync } from 'vite'

interface Node {
  type?: string
  start: number
  end: number
  [key: string]: unknown
}

type Quasi = Node & { value: { raw: string } }

const squeeze: Record<string, (raw: string) => string> = {
  html: (raw) =>
    raw
      .replace(/\s*\n\s*/g, ' ')
      .replace(/> </g, '><')
      // static values of word characters need no quotes in HTML (bindings start with $)
      .replace(/="([\w-]+)"/g, '=$1'),
  css: (raw) =>
    raw
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\s+/g, ' ')
      .replace(/\s*([{};,>])\s*/g, '$1')
      .replace(/:\s+/g, ':')
      .replace(/;}/g, '}')
      .replace(/(?<![\d.])0\./g, '.'),
}

/** Every quasi of an html`` or css`` template in the tree, with its squeezed text. */
function* quasis(node: unknown): Generator<[Quasi, string]> {
  if (!node || typeof node !== 'object') return
  const n = node as Node
  const tag = n.type === 'TaggedTemplateExpression' ? (n.tag as { name?: string }).name : undefined
  const fn = tag ? squeeze[tag] : undefined
  if (fn) {
    for (const q of (n.quasi as { quasis: Quasi[] }).quasis) {
      yield [q, fn(q.value.raw)]
    }
  }
  for (const child of Object.values(n)) yield* quasis(child)
}

/**
 * Lit keeps template text as written, indentation included; the script-tag build has an 8 KB
 * budget, so the element sources lose that whitespace at build time.
 */
export const compactTemplates: Plugin = {
  name: 'compact-templates',
  transform(code, id) {
    if (!id.includes('/src/') || !id.endsWith('.ts')) return null
    let out = code
    const found = [...quasis(parseSync(id, code).program)].sort(([a], [b]) => b.start - a.start)
    for (const [q, text] of found) {
      // a quasi's span includes its delimiters (` or } before, ${ or ` after)
      const span = out.slice(q.start, q.end).replace(q.value.raw, text)
      out = out.slice(0, q.start) + span + out.slice(q.end)
    }
    return { code: out, map: null }
  },
}
