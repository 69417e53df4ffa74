/** A value the XML writer renders: text, nested elements in key order, or a repeated element. */
export type XmlValue = string | XmlObject | readonly XmlValue[] | undefined
export interface XmlObject {
  readonly [name: string]: XmlValue
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
}

/** Escapes text for XML content and attribute values. */
function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char)
}

function element(name: string, value: XmlValue): string {
  if (value === undefined) return ''
  if (Array.isArray(value)) return value.map((item: XmlValue) => element(name, item)).join('')
  if (typeof value === 'string') return `<${name}>${escapeXml(value)}</${name}>`
  return `<${name}>${children(value as XmlObject)}</${name}>`
}

function children(object: XmlObject): string {
  return Object.entries(object)
    .map(([name, value]) => element(name, value))
    .join('')
}

/**
 * An XML document with one root element; the writer is this small on purpose: FPS responses are
 * plain element trees, and the one XML *parser* of the project lives in the protocol package.
 */
export function xmlDocument(root: string, body: XmlObject, namespace?: string): string {
  const xmlns = namespace === undefined ? '' : ` xmlns="${escapeXml(namespace)}"`
  return `<?xml version="1.0"?>\n<${root}${xmlns}>${children(body)}</${root}>`
}
