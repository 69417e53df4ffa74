import { ProtocolError } from '../errors.js'

const NOT_UNRESERVED_BY_ENCODE_URI_COMPONENT = /[!'()*]/g

/**
 * RFC 3986 percent-encoding with upper-case hex, as Signature Version 2 requires: only
 * `A-Z a-z 0-9 - _ . ~` stay literal, a space is `%20` (never `+`), UTF-8 for everything else.
 */
export function encodeRfc3986(value: string): string {
  let encoded: string
  try {
    encoded = encodeURIComponent(value)
  } catch {
    throw new ProtocolError('invalid_encoding', 'The value is not valid Unicode (lone surrogate).')
  }
  return encoded.replace(
    NOT_UNRESERVED_BY_ENCODE_URI_COMPONENT,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`
  )
}

const SURROGATE = /[\uD800-\uDFFF]/

/** Orders strings by Unicode code point, which is the byte order of their UTF-8 encodings. */
export function compareByteOrder(a: string, b: string): number {
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : a > b ? 1 : 0
  const left = Array.from(a, (c) => c.codePointAt(0) ?? 0)
  const right = Array.from(b, (c) => c.codePointAt(0) ?? 0)
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const diff = (left[i] ?? 0) - (right[i] ?? 0)
    if (diff !== 0) return diff
  }
  return left.length - right.length
}

/** Encodes each path segment while keeping `/`, after undoing the URL parser's own escapes. */
export function encodePath(pathname: string): string {
  if (pathname === '') return '/'
  return pathname
    .split('/')
    .map((segment) => encodeRfc3986(safeDecode(segment)))
    .join('/')
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}
