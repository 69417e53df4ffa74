import { Hono } from 'hono'
import type { z } from 'zod'
import type { Env } from './api/routes.js'
import { clockChangeSchema } from './clock.js'
import { SandboxError } from './errors.js'
import { faultPlanSchema } from './faults.js'
import type { Runtime } from './runtime.js'

/** The first problem of a refused body, naming where it is. */
function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0]
  return `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`
}

/**
 * Test-only controls under `/_sandbox`: the background queues, read by anyone; and, only when
 * the sandbox was created with the test controls on, faults for the next API calls, completing
 * Pending transactions now and moving the clock ahead. Without them those answer 404: they have
 * no authentication.
 */
export function adminRoutes(runtime: Runtime) {
  const routes = new Hono<Env>().get('/queues', (c) =>
    c.json({ ipn: runtime.ipn.pending(), pendingTransactions: runtime.completions.pending() })
  )
  const { faults, clock } = runtime
  if (!faults) return routes
  return routes
    .get('/faults', (c) => c.json(faults.describe()))
    .post('/faults', async (c) => {
      const parsed = faultPlanSchema.safeParse(await c.req.json().catch(() => undefined))
      if (!parsed.success) {
        const error = { code: 'invalid_fault_plan', message: firstIssue(parsed.error) }
        return c.json({ error }, 400)
      }
      faults.inject(parsed.data)
      return c.json(faults.describe())
    })
    .delete('/faults', (c) => {
      faults.clear()
      return c.json(faults.describe())
    })
    .post('/complete-pending', (c) => {
      runtime.completions.completeAll()
      return c.json({
        ipn: runtime.ipn.pending(),
        pendingTransactions: runtime.completions.pending(),
      })
    })
    .get('/clock', (c) => c.json(clock.describe()))
    .post('/clock', async (c) => {
      const parsed = clockChangeSchema.safeParse(await c.req.json().catch(() => undefined))
      if (!parsed.success) {
        const error = { code: 'invalid_clock_change', message: firstIssue(parsed.error) }
        return c.json({ error }, 400)
      }
      try {
        clock.change(parsed.data)
      } catch (error) {
        if (!(error instanceof SandboxError)) throw error
        return c.json({ error: { code: error.code, message: error.message } }, 400)
      }
      return c.json(clock.describe())
    })
}
