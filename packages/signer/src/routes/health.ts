import { Hono } from 'hono'
import type { SignerEnv } from '../env.js'

/** `GET /healthz`: the process is up and its store migrated (requests wait for that). */
export function healthRoutes() {
  return new Hono<SignerEnv>().get('/', (c) => c.json({ ok: true }))
}
