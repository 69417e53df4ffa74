import { Hono } from 'hono'
import type { DeliveryContext } from './delivery.js'
import { linkRefusedPage } from './pages.js'
import { songFile } from './song-file.js'

/**
 * `GET /downloads/:callerReference`: the song, for a link the shop signed and that has not
 * expired, of an order still fulfilled. Anything else is refused with a page that says why.
 */
export function downloadRoutes(ctx: DeliveryContext) {
  return new Hono().get('/:callerReference', (c) => {
    const callerReference = c.req.param('callerReference')
    const check = ctx.links.check(callerReference, c.req.query(), ctx.now())
    const fulfilment = ctx.fulfilments.get(callerReference)
    const song = ctx.songs.find(({ id }) => id === fulfilment?.item)
    if (check === 'invalid' || !fulfilment || !song)
      return c.html(linkRefusedPage('This download link is not valid.'), 403)
    if (check === 'expired') return c.html(linkRefusedPage('This download link has expired.'), 410)
    if (fulfilment.withdrawnAt)
      return c.html(
        linkRefusedPage('This download was withdrawn when the order was refunded.'),
        410
      )
    const { filename, body } = songFile(song)
    return c.body(body, 200, {
      'content-type': 'audio/wav',
      'content-disposition': `attachment; filename="${filename}"`,
      'cache-control': 'private, no-store',
    })
  })
}
