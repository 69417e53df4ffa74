import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

setFlagsFromString('--expose-gc')
/** V8's collector, reachable without starting the test worker with --expose-gc. */
const collect = runInNewContext('gc') as () => void

/** Resident set and live heap, in MiB. */
export interface Memory {
  rssMb: number
  heapMb: number
}

/** Memory after two full collections: what the process still holds, not what it has yet to free. */
export function settledMemory(): Memory {
  collect()
  collect()
  const { rss, heapUsed } = process.memoryUsage()
  return { rssMb: rss / 2 ** 20, heapMb: heapUsed / 2 ** 20 }
}
