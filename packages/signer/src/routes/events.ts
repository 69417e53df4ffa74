import { Hono } from 'hono'
import { z } from 'zod'
import type { SignerEnv } from '../env.js'
import { SignerError } from '../errors.js'
import { eventRecord } from '../events/view.js'
import { EVENT_TYPES, type EventRecord, type EventsPage } from '../http/contract.js'
import { adminAuth } from '../middleware/admin-auth.js'
import { type PaymentsContext, timestamp } from '../payments/context.js'

const listQuery = z.strictObject({
  callerReference: z.string().min(1).max(255).optional(),
  type: z.enum(EVENT_TYPES).optional(),
  cursor: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
})

/**
 * `/admin/events`, behind `FPS_ADMIN_TOKEN`: the outbox newest first, with each event's
 * delivery and tries, and a redelivery on request (a receiver that lost one, a webhook given up).
 */
export function eventRoutes(ctx: PaymentsContext) {
  return new Hono<SignerEnv>()
    .use(adminAuth({ adminToken: ctx.config.adminToken }))
    .get('/', async (c) => {
      const query = listQuery.safeParse(c.req.query())
      if (!query.success) {
        throw new SignerError(
          'invalid_request',
          `Use ?callerReference=<order>&type=<${EVENT_TYPES.join('|')}>&limit=1..500&cursor=<next>.`
        )
      }
      const { cursor, ...filters } = query.data
      const events = await ctx.store.listEvents({ ...filters, before: cursor })
      const attempts = await ctx.store.listAttempts(events.map((event) => event.id))
      const last = events.at(-1)
      return c.json({
        events: events.map((event) => eventRecord(event, attempts)),
        ...(events.length === filters.limit && last ? { next: last.id } : {}),
      } satisfies EventsPage)
    })
    .post('/:id/redeliver', async (c) => {
      const event = await ctx.store.redeliverEvent(c.req.param('id'), timestamp(ctx))
      if (!event) throw new SignerError('event_not_found', 'There is no event with that id.')
      const attempts = await ctx.store.listAttempts([event.id])
      return c.json({ event: eventRecord(event, attempts) } satisfies { event: EventRecord })
    })
}
