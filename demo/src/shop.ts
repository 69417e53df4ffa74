import { relative, resolve } from 'node:path'
import type { Signer } from '@fps-checkout/signer'
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono } from 'hono'
import { secureHeaders } from 'hono/secure-headers'
import { apiRoutes } from './api.js'
import type { DeliveryContext } from './delivery.js'
import { downloadRoutes } from './downloads.js'
import { orderPage, ordersPage, songsPage, streamingPage } from './pages.js'
import type { ShopCatalog } from './songs.js'

/**
 * What the shop serves and where its parts live; the delivery context (songs, fulfilments, links
 * and the clock they expire by) is what the downloads are served from.
 */
export interface ShopOptions extends DeliveryContext {
  /** The shop's own origin, for the absolute logo URL the payment pages show. */
  origin: string
  /** The sandbox's origin: the no-JavaScript checkout form is redirected there. */
  sandboxOrigin: string
  /** The signer's Hono app, mounted at `/fps` exactly as a merchant would mount it. */
  signer: Signer['app']
  /** What the shop sells: songs, the donation, plans and song credits. */
  catalog: ShopCatalog
  publicDir: string
  elementsScript: string
  /** The order page's build of the elements, with `<fps-order>`. */
  orderScript: string
}

/**
 * The DigitalDownload shop: server-rendered pages under a strict Content-Security-Policy (scripts,
 * styles and images from this origin only, no inline code), with the signer mounted at `/fps`,
 * the pages' JSON at `/api` and the songs behind their signed links at `/downloads`. Public
 * assets may be embedded elsewhere: the payment pages show the logo from this origin.
 */
export function createShop(options: ShopOptions): Hono {
  const logo = `${options.origin}/assets/logo.svg`
  const fromCwd = (path: string) => relative(process.cwd(), resolve(path))
  return new Hono()
    .use(
      secureHeaders({
        contentSecurityPolicy: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'", options.sandboxOrigin],
          frameAncestors: ["'none'"],
          baseUri: ["'none'"],
          objectSrc: ["'none'"],
        },
        crossOriginResourcePolicy: false,
      })
    )
    .use(async function assetsEmbeddable(c, next) {
      await next()
      const embeddable = c.req.path.startsWith('/assets/')
      c.header('Cross-Origin-Resource-Policy', embeddable ? 'cross-origin' : 'same-origin')
    })
    .get('/', (c) => c.html(songsPage(options.catalog, logo)))
    .get('/streaming', (c) => c.html(streamingPage()))
    .get('/return', (c) => c.html(orderPage()))
    .get('/order', (c) => c.html(orderPage()))
    .get('/orders', (c) => c.html(ordersPage()))
    .get('/fps-elements.iife.js', serveStatic({ path: fromCwd(options.elementsScript) }))
    .get('/fps-order.iife.js', serveStatic({ path: fromCwd(options.orderScript) }))
    .use(
      '/assets/*',
      serveStatic({
        root: fromCwd(options.publicDir),
        rewriteRequestPath: (path) => path.replace(/^\/assets/, ''),
      })
    )
    .route('/api', apiRoutes(options.signer, options))
    .route('/downloads', downloadRoutes(options))
    .route('/fps', options.signer)
}
