import { ProtocolError } from '../errors.js'

/** What encodeURIComponent leaves literal but RFC 3986 reserves. */
const NOT_UNRESERVED = /[!'()*]/
const NOT_UNRESERVED_GLOBAL = /[!'()*]/g

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
  return NOT_UNRESERVED.test(encoded)
    ? encoded.replace(NOT_UNRESERVED_GLOBAL, percentEncode)
    : encoded
}

function percentEncode(c: string): string {
  return `%${c.charCodeAt(0).toString(16).toUpperCase()}`
}

const SURROGATE = /[\uD800-\uDFFF]/

/**
 * Sorts names in the byte order of their UTF-8 encodings. Without surrogate pairs that is plain
 * UTF-16 order, the cheap default; code points beyond the BMP need the careful comparison.
 */
export function sortByteOrder(names: string[]): string[] {
  return names.some((name) => SURROGATE.test(name)) ? names.sort(compareCodePoints) : names.sort()
}

function compareCodePoints(a: string, b: string): number {
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
