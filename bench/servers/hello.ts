import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { ready } from '../child.js'

/** The floor every HTTP figure is divided by: Hono's hello world on @hono/node-server. */
const app = new Hono().get('/', (c) => c.text('Hello Hono!'))
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
  ready({ url: `http://127.0.0.1:${info.port}/` }, () => server.close())
)
