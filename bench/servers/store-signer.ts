import type { AddressInfo } from 'node:net'
import type { SignerSettings, SweepReport } from '@fps-checkout/signer'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { ready, signerPackage } from '../child.js'

const { createSigner } = await signerPackage()

/**
 * What `POST /bench/sweep` answers: one sweep's time, and the time its FPS calls took, summed over
 * the calls (the sweep has several in flight at once, so the sum can pass its own time).
 */
export interface TimedSweep {
  ms: number
  fpsMs: number
  fpsCalls: number
  report: SweepReport
}

/**
 * A signer on the store DATABASE_URL names (settings as JSON in SIGNER_SETTINGS, log lines
 * dropped), with two routes of the bench's beside the signer's own: `POST /bench/sweep` runs one
 * reconciliation sweep and answers a `TimedSweep`, `POST /bench/clock` (`{ offsetMs }`) moves the
 * signer's clock, so orders made now are past the sweep's recover-after (FPS takes a Timestamp
 * up to 15 minutes off).
 */
const settings = JSON.parse(process.env.SIGNER_SETTINGS ?? '{}') as SignerSettings
let offsetMs = 0
let fpsMs = 0
let fpsCalls = 0
const timed: typeof fetch = async (input, init) => {
  const started = performance.now()
  try {
    const response = await fetch(input, init)
    // the body too: the FPS client reads it whole
    const body = await response.arrayBuffer()
    return new Response(body, response)
  } finally {
    fpsMs += performance.now() - started
    fpsCalls += 1
  }
}
const signer = createSigner({
  ...settings,
  databaseUrl: process.env.DATABASE_URL,
  fetch: timed,
  now: () => new Date(Date.now() + offsetMs),
  log: () => {},
})
await signer.ready
const bench = new Hono()
  .post('/bench/clock', async (c) => {
    offsetMs = Number(((await c.req.json()) as { offsetMs?: number }).offsetMs ?? 0)
    return c.json({ offsetMs })
  })
  .post('/bench/sweep', async (c) => {
    fpsMs = 0
    fpsCalls = 0
    const started = performance.now()
    const report = await signer.sweep()
    const ms = performance.now() - started
    return c.json({ ms, fpsMs, fpsCalls, report } satisfies TimedSweep)
  })
const server = serve(
  {
    fetch: (request) =>
      new URL(request.url).pathname.startsWith('/bench/')
        ? bench.fetch(request)
        : signer.app.fetch(request),
    port: 0,
    hostname: '127.0.0.1',
  },
  (info: AddressInfo) =>
    ready({ url: `http://127.0.0.1:${info.port}` }, async () => {
      server.close()
      await signer.close()
    })
)
