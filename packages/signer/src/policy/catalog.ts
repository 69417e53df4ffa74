import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { toCents } from '../money.js'

const amount = z.string().refine((value) => toCents(value) !== undefined && toCents(value) !== 0, {
  message: 'must be a positive decimal string with at most two decimals, like "0.90"',
})
const currencyCode = z.literal('USD').default('USD')

const fixedItem = z.strictObject({ price: amount, currencyCode })
const openItem = z
  .strictObject({ min: amount.optional(), max: amount.optional(), currencyCode })
  .refine((item) => !item.min || !item.max || toCents(item.min)! <= toCents(item.max)!, {
    message: 'min must not exceed max',
  })

/** A catalog as merchants write it: item ids mapped to a fixed `price` or open `min`/`max` bounds. */
const catalogSchema = z.strictObject({
  items: z.record(z.string().min(1).max(128), z.union([fixedItem, openItem])),
})

/** A validated catalog. */
export type Catalog = z.output<typeof catalogSchema>
/** What a merchant may pass in place of a catalog file. */
export type CatalogInput = z.input<typeof catalogSchema>

/** Reads and validates a catalog file; the error says which item or field is wrong. */
export function loadCatalog(path: string): Catalog {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    throw new Error(`cannot read the file ${path}`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new Error(`${path} is not valid JSON`)
  }
  return parseCatalog(json)
}

/** Validates a catalog object, naming the first problem on one line. */
export function parseCatalog(input: unknown): Catalog {
  const result = catalogSchema.safeParse(input)
  if (result.success) return result.data
  const issue = result.error.issues[0]!
  throw new Error(`${issue.path.join('.') || 'catalog'} ${issue.message}`)
}
