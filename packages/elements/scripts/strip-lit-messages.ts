/** A vite plugin that drops the text of Lit's unreachable errors from the script-tag builds. */
import type { Plugin } from 'vite'

/** A `throw Error("…")` in Lit's production modules, with any `+value+"…"` concatenated to it. */
const message = /throw Error\("[^"]*"(?:\+\w+\+"[^"]*")*\)/g

/**
 * Lit's production build keeps three sentences for a developer who misuses it: a `CSSResult`
 * constructed by hand, a value other than `css` interpolated into `css`, `html` called other than
 * as a tag. In a script-tag build the only callers are this package's own static templates, and
 * the page cannot reach that copy of Lit, so none can be thrown; the throws stay, their text goes
 * (141 bytes gzip -9 of the 9 KiB widget). The npm build keeps Lit external and untouched.
 */
export const stripLitMessages: Plugin = {
  name: 'strip-lit-messages',
  transform(code, id) {
    if (!/\/node_modules\/(@lit\/reactive-element|lit-html)\//.test(id)) return null
    const out = code.replace(message, 'throw Error()')
    if (out === code) return null
    stripped += 1
    return { code: out, map: null }
  },
  buildStart() {
    stripped = 0
  },
  buildEnd() {
    // a Lit that words its errors otherwise would quietly cost the bytes again
    if (stripped === 0) this.warn("no Lit error message found to strip: Lit's wording changed?")
  },
}

let stripped = 0
