import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { ProtocolError } from '../errors.js'

/** Elements that may repeat; they are always arrays, even when FPS sends one. */
const REPEATABLE = new Set([
  'Error',
  'Token',
  'TokenUsageLimits',
  'TransactionPart',
  'RelatedTransaction',
  'StatusHistory',
  'SubscriptionTransaction',
])
const ACTIVITY_TRANSACTION = /\.GetAccountActivityResult\.Transaction$/

/**
 * The one XML parser of the project. Every option is stated: values stay strings (ids such as
 * `0123` and amounts such as `1.000000` must not become numbers), namespaces and attributes are
 * dropped (FPS carries data only in elements), and repeatable elements are always arrays.
 */
const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  htmlEntities: false,
  allowBooleanAttributes: false,
  alwaysCreateTextNode: false,
  commentPropName: false,
  cdataPropName: false,
  preserveOrder: false,
  textNodeName: '#text',
  stopNodes: [],
  unpairedTags: [],
  isArray: (name, jpath) => REPEATABLE.has(name) || ACTIVITY_TRANSACTION.test(String(jpath)),
})

/** A parsed XML element: text, or named children (arrays for repeatable ones). */
export type XmlValue = string | XmlElement | XmlElement[] | string[]

/** A parsed XML element with children. */
export interface XmlElement {
  [name: string]: XmlValue | undefined
}

/** Parses an FPS XML document; throws `ProtocolError('invalid_response')` when it is not well formed. */
export function parseXml(xml: string): XmlElement {
  const valid = XMLValidator.validate(xml)
  if (valid !== true) {
    throw new ProtocolError(
      'invalid_response',
      `The response is not well-formed XML (${valid.err.msg}).`
    )
  }
  return parser.parse(xml) as XmlElement
}
