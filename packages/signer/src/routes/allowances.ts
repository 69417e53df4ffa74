import { type Context, Hono } from 'hono'
import type { SignerEnv } from '../env.js'
import { SignerError } from '../errors.js'
import { heldBy } from '../http/holder.js'
import { listAllowances, revokeAllowance } from '../payments/allowances.js'
import type { PaymentsContext } from '../payments/context.js'
import { forRequest } from './context.js'

/**
 * The allowances this browser holds (by its holder cookie): `GET` what each has left, `POST
 * …/:id/revoke` to stop it. A browser without the cookie holds none.
 */
export function allowanceRoutes(ctx: PaymentsContext) {
  const holder = (c: Context<SignerEnv>): string => {
    const hash = heldBy(c)
    if (hash === undefined) {
      throw new SignerError('allowance_not_found', 'This browser holds no allowance.')
    }
    return hash
  }
  return new Hono<SignerEnv>()
    .get('/', async (c) => {
      const hash = heldBy(c)
      return c.json({ allowances: hash ? await listAllowances(ctx, hash) : [] })
    })
    .post('/:id/revoke', async (c) => {
      const allowance = await revokeAllowance(forRequest(ctx, c), holder(c), c.req.param('id'))
      return c.json({ allowance })
    })
}
