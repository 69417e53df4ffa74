import { Readable } from 'node:stream'
import type { Context } from 'hono'
import { z } from 'zod'
import { SignerError } from '../errors.js'

/** Text people write: bounded, and whole Unicode (no lone surrogates). */
export const text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((value) => !/\p{Cs}/u.test(value), 'must be valid Unicode')

const JSON_TYPE = /^application\/json\s*(;|$)/i
const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i

/** Whether a body arrived as an HTML form post rather than JSON. */
export function isFormPost(c: Context): boolean {
  return FORM_TYPE.test(c.req.header('content-type') ?? '')
}

/**
 * Reads a JSON (or, with `forms`, form-encoded) body and validates it against `schema`. Every way
 * a client can get it wrong (bad UTF-8, bad JSON, wrong types, unknown fields) is a 400
 * `invalid_request` that names the field.
 */
export async function readBody<S extends z.ZodType>(
  c: Context,
  schema: S,
  { forms = false } = {}
): Promise<z.output<S>> {
  const form = forms && isFormPost(c)
  if (!form && !JSON_TYPE.test(c.req.header('content-type') ?? '')) {
    throw invalid(`Send the body as application/json${forms ? ' or as a form' : ''}.`)
  }
  const text = await readText(c)
  let data: unknown
  if (form) {
    data = parseForm(text)
  } else {
    try {
      data = JSON.parse(text)
    } catch {
      throw invalid('The body is not valid JSON.')
    }
  }
  const result = schema.safeParse(data)
  if (!result.success) throw invalid(describeIssue(result.error.issues[0]))
  return result.data
}

/** Reads a form-encoded body (FPS's IPN) into its parameters. */
export async function readForm(c: Context): Promise<Record<string, string>> {
  if (!isFormPost(c)) throw invalid('Send the body as application/x-www-form-urlencoded.')
  return parseForm(await readText(c))
}

/**
 * Parses `a=1&b=2`; a name given twice is ambiguous and refused. The object has no prototype, so
 * every name, `__proto__` included, is a parameter of its own and goes into the signed text.
 */
export function parseForm(text: string): Record<string, string> {
  const params: Record<string, string> = Object.create(null)
  for (const [name, value] of new URLSearchParams(text)) {
    if (Object.hasOwn(params, name)) throw invalid(`The parameter ${name} appears more than once.`)
    params[name] = value
  }
  return params
}

/**
 * The answer to a body that stopped arriving: the client hung up, or its connection broke, before
 * the length it announced. The client is most likely gone; the message is for the log.
 */
export function incompleteBody(): SignerError {
  return invalid('The request body was not received completely.')
}

/**
 * Whether middleware of another framework (`express.json()`, say) read the body before the signer
 * got the request, which leaves the signer nothing to read. Node's request under
 * `@hono/node-server` was read, yet not through Hono (a Hono app that mounts the signer keeps
 * what it read in `bodyCache`) and not kept as a `rawBody` buffer (which `@hono/node-server` reads
 * instead).
 */
export function bodyReadElsewhere(c: Context): boolean {
  const incoming: unknown = (c.env as { incoming?: unknown } | undefined)?.incoming
  return (
    incoming instanceof Readable &&
    incoming.readableDidRead &&
    !((incoming as { rawBody?: unknown }).rawBody instanceof Buffer) &&
    Object.keys(c.req.bodyCache).length === 0
  )
}

/**
 * The answer to a body another middleware read first: a server assembled in the wrong order,
 * which no client can fix, hence a 500 whose message says how to mount the signer.
 */
export function bodyAlreadyRead(): SignerError {
  return new SignerError(
    'body_already_read',
    'Another middleware read the request body before the signer; mount the signer before any body parser (express.json(), express.urlencoded(), …).'
  )
}

async function readText(c: Context): Promise<string> {
  let bytes: ArrayBuffer
  try {
    bytes = await c.req.arrayBuffer()
  } catch (error) {
    if (error instanceof SignerError) throw error
    throw incompleteBody()
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw invalid('The body is not valid UTF-8.')
  }
}

function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'The body is invalid.'
  const field = issue.path.join('.')
  if (issue.code === 'unrecognized_keys') return `Unknown field(s): ${issue.keys.join(', ')}.`
  const message = /received undefined$/.test(issue.message) ? 'is required' : issue.message
  return field ? `${field}: ${message}` : message
}

function invalid(message: string): SignerError {
  return new SignerError('invalid_request', message)
}
