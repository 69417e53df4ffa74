import { raw } from 'hono/html'
import { escapeToBuffer, type HtmlEscapedString } from 'hono/utils/html'

const ALLOWED_TAG = /&lt;(\/?)(b|i|u|ul|li|br|em|strong|strike)\s*\/?&gt;/gi
const VOID = new Set(['br'])

/** `text` escaped exactly as `hono/html` escapes an interpolated string. */
function escaped(text: string): string {
  const buffer: [string] = ['']
  escapeToBuffer(text, buffer)
  return buffer[0]
}

/**
 * FPS's `paymentReason` may contain `<b> <i> <u> <ul> <li> <br> <em> <strong> <strike>` without
 * attributes. Everything is escaped first, then only those bare tags are restored, with unclosed
 * ones closed and stray closers dropped so the reason cannot break the page around it; the result
 * is `raw` markup for `html` to insert as it is.
 */
export function limitedHtml(text: string): HtmlEscapedString {
  const open: string[] = []
  const body = escaped(text).replace(ALLOWED_TAG, (_match, slash: string, rawName: string) => {
    const name = rawName.toLowerCase()
    if (VOID.has(name)) return slash ? '' : '<br>'
    if (!slash) {
      open.push(name)
      return `<${name}>`
    }
    const at = open.lastIndexOf(name)
    if (at === -1) return ''
    const closing = open.splice(at).reverse()
    return closing.map((tag) => `</${tag}>`).join('')
  })
  return raw(
    body +
      open
        .reverse()
        .map((tag) => `</${tag}>`)
        .join('')
  )
}
