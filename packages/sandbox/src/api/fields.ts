import { parseFpsAmount } from '@fps-checkout/protocol'
import { z } from 'zod'
import { FpsFault } from '../errors.js'
import { toBasisPoints } from '../money.js'

/** A string read by `read`, or refused with `message` where `read` gives undefined. */
const decimal = (read: (value: string) => number | undefined, message: string) =>
  z.string().transform((value, ctx) => {
    const number = read(value)
    if (number !== undefined) return number
    ctx.addIssue({ code: 'custom', message, input: value })
    return z.NEVER
  })

/** An amount with at most two significant decimals (`1.50`, `1.500000`), converted to cents. */
export const amount = decimal(parseFpsAmount, 'must be an amount such as 19.99')

/** A percentage from 0 to 100 with up to two significant decimals, converted to basis points. */
export const percent = decimal(toBasisPoints, 'must be a percentage from 0 to 100')

/** FPS accepted only US dollars. */
export const currency = z.literal('USD', 'must be USD, the only currency FPS accepts')

/** Free text with FPS's length limit. */
export const text = (max: number) =>
  z.string().min(1, 'must not be empty').max(max, `must be at most ${max} characters`)

/** A CallerReference: up to 128 characters. */
export const reference = text(128)

/** A token or transaction id as FPS issued them (upper-case alphanumeric). */
export const id = (max: number) =>
  z
    .string()
    .regex(
      new RegExp(`^[A-Za-z0-9]{1,${max}}$`),
      `must be an id of at most ${max} letters and digits`
    )

/** Token and transaction ids. */
export const tokenId = id(64)
export const transactionId = id(35)

export const positiveInteger = z
  .string()
  .regex(/^[1-9]\d{0,8}$/, 'must be a positive whole number')
  .transform(Number)

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http or https URL' })

/** 2010-08-28: where this call's IPNs go instead of the caller's IPN URL. */
export const ipnOverride = { OverrideIPNURL: httpUrl.optional() }

/** The parameters every money movement takes besides its amount and tokens. */
export const chargeDetails = {
  CallerDescription: text(160).optional(),
  SenderDescription: text(160).optional(),
  'DescriptorPolicy.SoftDescriptorType': z.enum(['Static', 'Dynamic']).optional(),
  'DescriptorPolicy.CSOwner': z.enum(['Caller', 'Recipient']).optional(),
  TransactionTimeoutInMins: positiveInteger.optional(),
  ...ipnOverride,
}

/** An ISO 8601 dateTime, with or without milliseconds, `Z` or an offset such as `-00:00`. */
export const dateTime = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/,
    'must be an ISO 8601 dateTime'
  )
  .transform((value) => new Date(value.replace(/(\.\d{3})\d+/, '$1')))

/**
 * Validates an action's parameters, naming the first offending parameter the way FPS did:
 * unknown parameters are `InvalidRequest`, malformed or missing ones `InvalidParams`.
 */
export function parseParams<S extends z.ZodType>(
  schema: S,
  params: Record<string, string>
): z.output<S> {
  const result = schema.safeParse(params)
  if (result.success) return result.data
  const unknown = result.error.issues.find((issue) => issue.code === 'unrecognized_keys')
  if (unknown) {
    throw new FpsFault(
      'InvalidRequest',
      `The request doesn't conform to the interface specification in the WSDL. Element/Parameter "${unknown.keys.join(', ')}" in request is either invalid or is found at unexpected location`
    )
  }
  const [issue] = result.error.issues
  const name = issue?.path.join('.') ?? 'request'
  const value = params[name]
  const problem =
    value === undefined ? 'is required' : `${issue?.message}. Specified value: ${value}`
  throw new FpsFault('InvalidParams', `${name} ${problem}.`)
}

type Compact<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>
}

/** Drops undefined members, so zod's optional output fits exact optional property types. */
export function compact<T extends object>(object: T): Compact<T> {
  return Object.fromEntries(
    Object.entries(object).filter(([, value]) => value !== undefined)
  ) as Compact<T>
}
