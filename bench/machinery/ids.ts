import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { type Figure, median } from '../measure.js'
import { gain, interleaved, medianRatio } from './compare.js'
import { machinery, variantSources } from './variants.js'

/** Ids made per second: the pooled CSPRNG buffer against `randomBytes` per id. */
export async function idsMachinery(): Promise<Figure[]> {
  const workloads: Record<string, () => unknown> = {}
  const variants = { stock: [], id_pool: [machinery('signer', 'ids.ts')] }
  for (const [name, grafts] of Object.entries(variants)) {
    const src = variantSources('signer', `ids-${name}`, grafts)
    const { timeOrderedId } = (await import(pathToFileURL(join(src, 'ids.ts')).href)) as {
      timeOrderedId: (prefix: string) => string
    }
    workloads[name] = () => timeOrderedId('ord_')
  }
  const rates = interleaved(workloads)
  const of = (name: string) => rates[name] ?? []
  return [
    {
      name: 'ids_stock_ops',
      value: median(of('stock')),
      unit: 'ids/s',
      note: 'randomBytes(15) per id',
    },
    { name: 'ids_id_pool_ops', value: median(of('id_pool')), unit: 'ids/s', note: '4 KiB pool' },
    gain('id_pool', 'ids_per_s', medianRatio(of('id_pool'), of('stock'))),
  ]
}
