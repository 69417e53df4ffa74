import type { CatalogInput } from '@fps-checkout/signer'

/**
 * A song (or album) of the shop: what the page shows; its price comes from the signer's catalog.
 * A song sold from an allowance (`allowance`, the catalog's id of it) is bought in one click once
 * the buyer has authorized that allowance.
 */
export interface Song {
  id: string
  title: string
  artist: string
  price: string
  allowance?: string
}

/** A plan of the catalog: its price is charged every period (FPS's `recurringPeriod`). */
export interface Plan {
  id: string
  title: string
  price: string
  every: string
}

/** An allowance of the catalog: what a buyer authorizes once, to buy its songs in one click. */
export interface Credits {
  id: string
  limit: string
}

/** What the shop sells, read from the signer's catalog so the page and the signer never disagree. */
export interface ShopCatalog {
  songs: Song[]
  donation: { min: string; max: string }
  plans: Plan[]
  credits: Credits[]
}

/** The catalog's items, as the signer takes them. */
export type CatalogItems = CatalogInput['items']

const TITLES: Record<string, { title: string; artist: string }> = {
  'now-and-forever': { title: 'Now and Forever', artist: 'Richard Marx' },
  'hold-on': { title: 'Hold On', artist: 'Wilson Phillips' },
  'right-here-waiting': { title: 'Right Here Waiting', artist: 'Richard Marx' },
  'repeat-offender': { title: 'Repeat Offender (album)', artist: 'Richard Marx' },
  satisfied: { title: 'Satisfied', artist: 'Richard Marx' },
  hazard: { title: 'Hazard', artist: 'Richard Marx' },
  'release-me': { title: 'Release Me', artist: 'Wilson Phillips' },
  'you-re-in-love': { title: "You're in Love", artist: 'Wilson Phillips' },
  'rush-street': { title: 'Rush Street (album)', artist: 'Richard Marx' },
  'wilson-phillips': { title: 'Wilson Phillips (album)', artist: 'Wilson Phillips' },
}

/** What the page calls a plan; a plan the demo has no name for (a test's) goes by its id. */
const PLAN_TITLES: Record<string, string> = {
  'streaming-monthly': 'Unlimited streaming',
}

/** The donation's catalog id; its amount is open within the catalog's bounds. */
export const DONATION = 'donation'

/** Any catalog item, read loosely: the signer has validated its shape. */
interface AnyItem {
  price?: string
  min?: string
  max?: string
  every?: string
  allowance?: string
}

/**
 * The songs on sale (each needs its price in the catalog), the donation's bounds, every plan and
 * every allowance of the catalog.
 */
export function shopCatalog(catalog: CatalogItems): ShopCatalog {
  const items = catalog as Record<string, AnyItem>
  const songs = Object.entries(TITLES).map(([id, names]) => {
    const item = items[id]
    if (!item?.price) throw new Error(`The catalog has no price for "${id}".`)
    return { id, ...names, price: item.price, ...(item.allowance && { allowance: item.allowance }) }
  })
  const donation = items[DONATION]
  if (!donation?.min || !donation.max)
    throw new Error(`The catalog has no bounds for "${DONATION}".`)
  const plans: Plan[] = []
  const credits: Credits[] = []
  for (const [id, item] of Object.entries(items)) {
    if (item.every && item.price)
      plans.push({ id, title: PLAN_TITLES[id] ?? id, price: item.price, every: item.every })
    else if (item.allowance && !item.price) credits.push({ id, limit: item.allowance })
  }
  return { songs, donation: { min: donation.min, max: donation.max }, plans, credits }
}
