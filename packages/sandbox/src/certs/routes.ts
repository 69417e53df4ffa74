import { Hono } from 'hono'
import type { Env } from '../api/routes.js'
import type { Runtime } from '../runtime.js'

/** `/certs/<id>/PKICert.pem`: the certificate of the key that signs returns and IPNs. */
export function certificateRoutes(runtime: Runtime) {
  return new Hono<Env>().get('/:id/PKICert.pem', (c) => {
    if (c.req.param('id') !== runtime.key.id) return c.text('No such certificate.', 404)
    return c.body(runtime.key.certificatePem, 200, { 'content-type': 'application/x-pem-file' })
  })
}
