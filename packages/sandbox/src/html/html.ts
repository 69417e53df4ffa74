/** Markup that is already safe; everything else interpolated into `html` is escaped. */
export class SafeHtml {
  constructor(readonly value: string) {}

  toString(): string {
    return this.value
  }
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char)
}

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.value
  if (Array.isArray(value)) return value.map(render).join('')
  if (value === undefined || value === null || value === false) return ''
  return escapeHtml(String(value))
}

/** A template tag that escapes every interpolated value, so server-rendered pages cannot be injected. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? ''
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '')
  })
  return new SafeHtml(out)
}

const ALLOWED_TAG = /&lt;(\/?)(b|i|u|ul|li|br|em|strong|strike)\s*\/?&gt;/gi
const VOID = new Set(['br'])

/**
 * FPS's `paymentReason` may contain `<b> <i> <u> <ul> <li> <br> <em> <strong> <strike>` without
 * attributes. Everything is escaped first, then only those bare tags are restored, with unclosed
 * ones closed and stray closers dropped so the reason cannot break the page around it.
 */
export function limitedHtml(text: string): SafeHtml {
  const open: string[] = []
  const body = escapeHtml(text).replace(ALLOWED_TAG, (_match, slash: string, rawName: string) => {
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
  return new SafeHtml(
    body +
      open
        .reverse()
        .map((tag) => `</${tag}>`)
        .join('')
  )
}
