import { Hono } from 'hono'
import type { SignerEnv } from '../env.js'
import { StoreUnavailableError } from '../store/unavailable.js'

/** `GET /healthz`, liveness: the process is up and its store migrated (requests wait for that). */
export function healthRoutes() {
  return new Hono<SignerEnv>().get('/', (c) => c.json({ ok: true }))
}

/**
 * `GET /readyz`, readiness: the store took a write just now. Otherwise 503 `store_unavailable`
 * with `Retry-After`, whatever stopped the write, since a signer that cannot write cannot sell.
 */
export function readinessRoutes(checkWritable: () => Promise<void>) {
  return new Hono<SignerEnv>().get('/', async (c) => {
    try {
      await checkWritable()
    } catch (error) {
      if (error instanceof StoreUnavailableError) throw error
      throw new StoreUnavailableError('the write probe failed', { cause: error })
    }
    return c.json({ ok: true })
  })
}
