import { readFileSync } from 'node:fs'

/** A song of the shop: what the page shows; its price comes from the signer's catalog. */
export interface Song {
  id: string
  title: string
  artist: string
  price: string
}

const TITLES: Record<string, { title: string; artist: string }> = {
  'now-and-forever': { title: 'Now and Forever', artist: 'Richard Marx' },
  'hold-on': { title: 'Hold On', artist: 'Wilson Phillips' },
  'right-here-waiting': { title: 'Right Here Waiting', artist: 'Richard Marx' },
  'repeat-offender': { title: 'Repeat Offender (album)', artist: 'Richard Marx' },
}

/** The donation's catalog id; its amount is open within the catalog's bounds. */
export const DONATION = 'donation'

/** The songs on sale, priced from the catalog so the page and the signer can never disagree. */
export function loadSongs(catalogPath: string): {
  songs: Song[]
  donation: { min: string; max: string }
} {
  const { items } = JSON.parse(readFileSync(catalogPath, 'utf8')) as {
    items: Record<string, { price?: string; min?: string; max?: string }>
  }
  const songs = Object.entries(TITLES).map(([id, names]) => {
    const price = items[id]?.price
    if (!price) throw new Error(`The catalog has no price for "${id}".`)
    return { id, ...names, price }
  })
  const donation = items[DONATION]
  if (!donation?.min || !donation.max)
    throw new Error(`The catalog has no bounds for "${DONATION}".`)
  return { songs, donation: { min: donation.min, max: donation.max } }
}
