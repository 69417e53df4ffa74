import { Hono } from 'hono'
import type { Env } from './api/routes.js'
import { faultPlanSchema } from './faults.js'
import type { Runtime } from './runtime.js'

/**
 * Test-only controls under `/_sandbox`: inject faults into the next API calls and read the
 * background queues. The sandbox is a development tool; nothing here touches real money.
 */
export function adminRoutes(runtime: Runtime) {
  return new Hono<Env>()
    .get('/faults', (c) => c.json(runtime.faults.describe()))
    .post('/faults', async (c) => {
      const parsed = faultPlanSchema.safeParse(await c.req.json().catch(() => undefined))
      if (!parsed.success) {
        const issue = parsed.error.issues[0]
        const message = `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`
        return c.json({ error: { code: 'invalid_fault_plan', message } }, 400)
      }
      runtime.faults.inject(parsed.data)
      return c.json(runtime.faults.describe())
    })
    .delete('/faults', (c) => {
      runtime.faults.clear()
      return c.json(runtime.faults.describe())
    })
    .post('/complete-pending', (c) => {
      runtime.completions.completeAll()
      return c.json({
        ipn: runtime.ipn.pending(),
        pendingTransactions: runtime.completions.pending(),
      })
    })
    .get('/queues', (c) =>
      c.json({ ipn: runtime.ipn.pending(), pendingTransactions: runtime.completions.pending() })
    )
}
