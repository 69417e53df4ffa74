import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { toCents } from '../money.js'
import { period } from './plans.js'

const amount = z.string().refine((value) => toCents(value) !== undefined && toCents(value) !== 0, {
  message: 'must be a positive decimal string with at most two decimals, like "0.90"',
})
const currencyCode = z.literal('USD').default('USD')

/** A fixed price; with `allowance`, payable in one click from the buyer's standing allowance. */
const fixedItem = z.strictObject({
  price: amount,
  allowance: z.string().min(1).max(128).optional(),
  currencyCode,
})
const openItem = z
  .strictObject({ min: amount.optional(), max: amount.optional(), currencyCode })
  .refine((item) => !item.min || !item.max || toCents(item.min)! <= toCents(item.max)!, {
    message: 'min must not exceed max',
  })

/**
 * A plan: its price is charged `every` period (FPS's Recurring pipeline), until the buyer or the
 * merchant cancels it or, with `validity`, that long after the first period began; with
 * `trialDays`, the first period begins that many days after the sign-up, which charges nothing.
 */
const planItem = z.strictObject({
  price: amount,
  every: period,
  validity: period.optional(),
  trialDays: z.number().int().min(1).max(365).optional(),
  currencyCode,
})

/**
 * An allowance (FPS's MultiUse pipeline): the buyer authorizes the shop once to charge up to
 * `allowance` in all, optionally at most `amount` or `count` charges `every` period, and then
 * buys the items that name it in one click. It is not sold by itself.
 */
const allowanceItem = z.strictObject({
  allowance: amount,
  perPeriod: z
    .strictObject({
      amount: amount.optional(),
      count: z.number().int().min(1).max(10_000).optional(),
      every: period,
    })
    .refine((limit) => (limit.amount === undefined) !== (limit.count === undefined), {
      message: 'names either an amount or a count',
    })
    .optional(),
  currencyCode,
})

/**
 * A catalog as merchants write it: item ids mapped to a fixed `price`, open `min`/`max` bounds, a
 * plan (`price` and `every`), or an allowance that fixed-price items name to sell in one click.
 */
const catalogSchema = z
  .strictObject({
    items: z.record(
      z.string().min(1).max(128),
      z.union([planItem, allowanceItem, fixedItem, openItem])
    ),
  })
  .superRefine((catalog, context) => {
    for (const [id, item] of Object.entries(catalog.items)) {
      if (!('price' in item) || !('allowance' in item) || item.allowance === undefined) continue
      const named = Object.hasOwn(catalog.items, item.allowance)
        ? catalog.items[item.allowance]
        : undefined
      if (!named || !isAllowance(named)) {
        context.addIssue({
          code: 'custom',
          path: ['items', id, 'allowance'],
          message: `names "${item.allowance}", which is not an allowance of the catalog`,
        })
      }
    }
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

/** A catalog's plan. */
export type Plan = z.output<typeof planItem>

/** A catalog's allowance. */
export type Allowance = z.output<typeof allowanceItem>

/** The catalog's plan by that item id, if the item is one. */
export function planOf(catalog: Catalog | undefined, item: string | undefined): Plan | undefined {
  const found = entry(catalog, item)
  return found && 'every' in found ? found : undefined
}

/** An allowance of the catalog, with its id. */
export interface CatalogAllowance {
  id: string
  allowance: Allowance
}

/** The allowance an item is bought with in one click, with its id, if the item names one. */
export function allowanceOf(
  catalog: Catalog | undefined,
  item: string | undefined
): CatalogAllowance | undefined {
  const found = entry(catalog, item)
  if (!found || !('price' in found) || !('allowance' in found) || !found.allowance) return undefined
  const allowance = entry(catalog, found.allowance)
  return allowance && isAllowance(allowance) ? { id: found.allowance, allowance } : undefined
}

/** Whether a catalog entry is an allowance rather than an item for sale. */
export function isAllowance(item: Catalog['items'][string]): item is Allowance {
  return !('price' in item) && 'allowance' in item
}

function entry(catalog: Catalog | undefined, item: string | undefined) {
  return catalog && item !== undefined && Object.hasOwn(catalog.items, item)
    ? catalog.items[item]
    : undefined
}
