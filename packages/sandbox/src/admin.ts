import { Hono } from 'hono'
import type { Env } from './api/routes.js'
import { faultPlanSchema } from './faults.js'
import type { Runtime } from './runtime.js'

/**
 * Test-only controls under `/_sandbox`: the background queues, read by anyone; and, only when
 * the sandbox was created with `faults: true`, faults for the next API calls and completing
 * Pending transactions now. Without it those answer 404: they have no authentication.
 */
export function adminRoutes(runtime: Runtime) {
  const routes = new Hono<Env>().get('/queues', (c) =>
    c.json({ ipn: runtime.ipn.pending(), pendingTransactions: runtime.completions.pending() })
  )
  const { faults } = runtime
  if (!faults) return routes
  return routes
    .get('/faults', (c) => c.json(faults.describe()))
    .post('/faults', async (c) => {
      const parsed = faultPlanSchema.safeParse(await c.req.json().catch(() => undefined))
      if (!parsed.success) {
        const issue = parsed.error.issues[0]
        const message = `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`
        return c.json({ error: { code: 'invalid_fault_plan', message } }, 400)
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
}
