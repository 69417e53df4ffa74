import fc from 'fast-check'

/** One generated request: where it goes and what it carries. */
export interface FuzzRequest {
  method: string
  path: string
  headers: Record<string, string>
  body?: Uint8Array<ArrayBuffer>
}

/** What the generators aim at: real orders, their tokens, and the origin of trusted certificates. */
export interface FuzzTargets {
  callerReferences: string[]
  accessTokens: string[]
  adminToken: string
  certificateUrl: string
}

const encoder = new TextEncoder()
const json = (value: unknown) => encoder.encode(JSON.stringify(value))
const form = (pairs: Record<string, string>) =>
  encoder.encode(new URLSearchParams(pairs).toString())
/** A generated field as form text; `String` throws on an object whose `toString` is not a function. */
const formValue = (value: unknown) =>
  typeof value === 'string' ? value : String(JSON.stringify(value))
/** Header values fetch can send: visible ASCII, so the request itself is never the client's error. */
const headerText = fc.string({ unit: 'grapheme-ascii', maxLength: 300 })
const junk = fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 30 }))
const anyJson = fc.jsonValue({ maxDepth: 3 })

/** Bodies of every kind, around a near-valid one that reaches the handler's own checks. */
function bodies(nearValid: fc.Arbitrary<Record<string, unknown>>) {
  return fc.oneof(
    { weight: 6, arbitrary: nearValid.map(json) },
    {
      weight: 2,
      arbitrary: nearValid.map((v) =>
        form(Object.fromEntries(Object.entries(v).map(([k, x]) => [k, formValue(x)])))
      ),
    },
    anyJson.map(json),
    fc.uint8Array({ maxLength: 80 }).map((bytes) => Uint8Array.from(bytes)),
    fc.string({ unit: 'binary', maxLength: 200 }).map((text) => encoder.encode(text)),
    fc.constant(encoder.encode(`{"reason":"${'x'.repeat(40_000)}"}`))
  )
}

const JSON_TYPE = 'application/json'
const FORM_TYPE = 'application/x-www-form-urlencoded'

/** The endpoint's own content type most of the time; other types, garbage or none the rest. */
function contentType(own: string) {
  return fc.oneof(
    { weight: 8, arbitrary: fc.constant(own) },
    fc.constantFrom(
      JSON_TYPE,
      FORM_TYPE,
      'text/plain',
      'application/json; charset=utf-8',
      undefined
    ),
    headerText
  )
}

/** Sometimes `value`, mostly nothing: one header in `rarity` requests. */
function sometimes<T>(value: fc.Arbitrary<T>, rarity: number) {
  return fc.oneof({ weight: rarity - 1, arbitrary: fc.constant(undefined) }, value)
}

/**
 * Headers a client may add: a content type (nearly always), credentials, an idempotency key, and
 * now and then a foreign origin (which the origin guard refuses before anything else runs).
 */
function headers(auth: fc.Arbitrary<string | undefined>, own = JSON_TYPE) {
  return fc
    .record({
      'content-type': contentType(own),
      authorization: auth,
      'idempotency-key': sometimes(headerText, 3),
      origin: sometimes(fc.oneof(fc.constant('https://evil.example'), fc.webUrl()), 10),
    })
    .map((h) => {
      const present = Object.entries(h).filter(([, v]) => v !== undefined)
      return Object.fromEntries(present) as Record<string, string>
    })
}

/** Authorization headers: none, the right admin token, a buyer's token, garbage. */
function authorization(t: FuzzTargets) {
  return fc.oneof(
    fc.constantFrom(undefined, `Bearer ${t.adminToken}`, 'Bearer nope', 'Basic YTpi', 'Bearer '),
    fc.constantFrom(...t.accessTokens).map((token) => `Bearer ${token}`),
    headerText
  )
}

/** Order references: real ones, lookalikes, and anything a path segment can carry. */
function reference(t: FuzzTargets) {
  return fc.oneof(
    fc.constantFrom(
      ...t.callerReferences,
      'ord_',
      'ord_x',
      '..',
      '%00',
      'constructor',
      '__proto__'
    ),
    fc.string({ maxLength: 300 }).map(encodeURIComponent)
  )
}

/** A return query or IPN form near the real ones: every name FPS sends, forged or broken values. */
function signedParams(t: FuzzTargets, extra: Record<string, fc.Arbitrary<string>>) {
  return fc.record({
    ...extra,
    callerReference: fc.oneof(fc.constantFrom(...t.callerReferences), junk),
    signature: fc.oneof(fc.base64String({ maxLength: 344 }), junk),
    signatureMethod: fc.oneof(fc.constant('RSA-SHA1'), junk),
    signatureVersion: fc.oneof(fc.constant('2'), junk),
    certificateUrl: fc.oneof(
      fc.constant(t.certificateUrl),
      fc.webPath().map((path) => `${new URL(t.certificateUrl).origin}${path}`),
      fc.webUrl(),
      junk
    ),
  })
}

/** One generator per endpoint the signer serves, plus one for any other method and path. */
export function fuzzEndpoints(t: FuzzTargets): Record<string, fc.Arbitrary<FuzzRequest>> {
  const post = (
    path: fc.Arbitrary<string>,
    body: fc.Arbitrary<Uint8Array<ArrayBuffer>>,
    auth = authorization(t),
    own = JSON_TYPE
  ) => fc.record({ method: fc.constant('POST'), path, headers: headers(auth, own), body })
  const get = (path: fc.Arbitrary<string>) =>
    fc.record({ method: fc.constant('GET'), path, headers: headers(authorization(t)) })
  const amount = fc.oneof(
    fc.constantFrom('1.00', '0', '-1', '1e9', '0.001', '99999999.99'),
    junk,
    fc.double()
  )
  const returnParams = signedParams(t, {
    status: fc.oneof(fc.constantFrom('SA', 'SB', 'SC', 'A', 'SE', 'CE', 'NP'), junk),
    tokenID: junk,
    expiry: junk,
  })
  const ipnParams = signedParams(t, {
    notificationType: fc.oneof(fc.constantFrom('TransactionStatus', 'TokenCancellation'), junk),
    transactionId: junk,
    transactionStatus: fc.oneof(fc.constantFrom('SUCCESS', 'FAILURE', 'PENDING', 'RESERVED'), junk),
    operation: fc.oneof(fc.constantFrom('PAY', 'REFUND', 'SETTLE', 'RESERVE'), junk),
  })
  const action = fc.constantFrom('settle', 'refund', 'cancel', 'refresh', 'pay', '')
  return {
    checkout: post(
      fc.constant('/checkout'),
      bodies(
        fc.record(
          { amount, reason: junk, currencyCode: junk, logo: junk, item: junk, extra: anyJson },
          { requiredKeys: ['amount', 'reason'] }
        )
      )
    ),
    return: post(
      fc.constant('/return'),
      bodies(
        fc.oneof(
          {
            weight: 4,
            arbitrary: returnParams.map((p) => ({ query: new URLSearchParams(p).toString() })),
          },
          fc.record({ query: junk })
        )
      )
    ),
    ipn: post(
      fc.constant('/ipn'),
      fc.oneof({ weight: 4, arbitrary: ipnParams.map(form) }, bodies(ipnParams)),
      authorization(t),
      FORM_TYPE
    ),
    orders: get(reference(t).map((ref) => `/orders/${ref}`)),
    admin_list: get(
      fc
        .dictionary(
          fc.constantFrom('status', 'limit', 'offset', 'x'),
          fc.oneof(junk, fc.constantFrom('pending', '0', '501', '-1'))
        )
        .map((query) => `/admin/orders?${new URLSearchParams(query)}`)
    ),
    admin_actions: post(
      fc.tuple(reference(t), action).map(([ref, act]) => `/admin/orders/${ref}/${act}`),
      bodies(fc.record({ amount, reason: junk }, { requiredKeys: [] })),
      fc.oneof({ weight: 3, arbitrary: fc.constant(`Bearer ${t.adminToken}`) }, authorization(t))
    ),
    other: fc.record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
      path: fc.webPath().map((path) => path || '/'),
      headers: headers(authorization(t)),
      body: bodies(fc.record({ amount })),
    }),
  }
}
