import { SignerError } from '../errors.js'
import { formatCents, toCents } from '../money.js'
import { type Catalog, isAllowance } from './catalog.js'

/** What the browser asks to pay. */
export interface PriceRequest {
  amount: string
  currencyCode: string
  item?: string | undefined
}

/**
 * Decides the amount an order is charged, because the browser's amount is a request, never a
 * fact: a catalog item's fixed price must match exactly, an open item must fall within its
 * bounds. Without a catalog every positive amount is accepted (the operator chose that).
 */
export function priceOrder(request: PriceRequest, catalog: Catalog | undefined): number {
  const cents = toCents(request.amount)
  if (cents === undefined || cents === 0) {
    throw new SignerError(
      'invalid_amount',
      `The amount "${request.amount}" must be a positive decimal string with at most two decimals, like "0.90".`
    )
  }
  if (!catalog) return cents
  if (request.item === undefined) {
    throw new SignerError('unknown_item', 'This shop sells catalog items only: name the item.')
  }
  const item = Object.hasOwn(catalog.items, request.item) ? catalog.items[request.item] : undefined
  if (!item || isAllowance(item)) {
    throw new SignerError('unknown_item', `There is no item "${request.item}" in the catalog.`)
  }
  if ('price' in item) {
    if (toCents(item.price) !== cents || item.currencyCode !== request.currencyCode) {
      throw new SignerError(
        'price_mismatch',
        `The price of "${request.item}" is ${item.price} ${item.currencyCode}, not ${request.amount} ${request.currencyCode}.`
      )
    }
    return cents
  }
  const min = item.min === undefined ? 1 : toCents(item.min)!
  const max = item.max === undefined ? Number.POSITIVE_INFINITY : toCents(item.max)!
  if (cents < min || cents > max || item.currencyCode !== request.currencyCode) {
    const upper = item.max === undefined ? 'any amount' : `${formatCents(max)}`
    throw new SignerError(
      'amount_out_of_bounds',
      `An amount for "${request.item}" must be between ${formatCents(min)} and ${upper} ${item.currencyCode}.`
    )
  }
  return cents
}
