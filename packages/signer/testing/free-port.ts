import { createServer } from 'node:net'

/**
 * A TCP port on 127.0.0.1 that nothing listens on now, for a server whose port must be known
 * before it starts (a PostgreSQL cluster, a signer whose IPN URL names its own port).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('The probe server has no TCP address.'))
      )
    })
  })
}
