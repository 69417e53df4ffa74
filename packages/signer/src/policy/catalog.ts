import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { toCents } from '../money.js'
import { period } from './plans.js'

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

/**
 * A plan: its price is charged `every` period (FPS's Recurring pipeline), until the buyer or the
 * merchant cancels it or, with `validity`, that long after the sign-up.
 */
const planItem = z.strictObject({
  price: amount,
  every: period,
  validity: period.optional(),
  currencyCode,
})

/**
 * A catalog as merchants write it: item ids mapped to a fixed `price`, open `min`/`max` bounds, or
 * a plan (`price` and `every`).
 */
const catalogSchema = z.strictObject({
  items: z.record(z.string().min(1).max(128), z.union([planItem, fixedItem, openItem])),
})

/** A catalog's plan. */
export type Plan = z.output<typeof planItem>

/** The catalog's plan by that item id, if the item is one. */
export function planOf(catalog: Catalog | undefined, item: string | undefined): Plan | undefined {
  if (!catalog || item === undefined || !Object.hasOwn(catalog.items, item)) return undefined
  const found = catalog.items[item]
  return found && 'every' in found ? found : undefined
}

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
