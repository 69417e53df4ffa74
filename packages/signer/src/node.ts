/**
 * @module The signer in Node's `(req, res)` servers: Express, Connect, Fastify, `node:http`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { getRequestListener, type Http2Bindings, type HttpBindings } from '@hono/node-server'

/** What a Node handler serves: the signer's app (`createApp()`), or a Hono app that mounts it. */
export interface FetchApp {
  fetch(request: Request, env: HttpBindings | Http2Bindings): Response | Promise<Response>
}

/** A handler for Node's HTTP server, and for frameworks that hand it their requests. */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>

/**
 * Answers Node's requests with `app`, through `@hono/node-server` (so a shop needs no dependency
 * of its own for it). The signer reads the raw body itself: mount it before any body parser. A
 * body that one read first (`express.json()` as global middleware) answers 500
 * `body_already_read`. Express strips the mount path, so the app sees `/checkout` under
 * `shop.use('/fps', …)`; set `ipnUrl`, since the request's URL no longer names the IPN endpoint.
 *
 * @example
 * const shop = express()
 * shop.use('/fps', toNodeHandler(createApp()))
 * shop.use(express.json())
 */
export function toNodeHandler(app: FetchApp): NodeHandler {
  return getRequestListener((request, env) => app.fetch(request, env))
}
