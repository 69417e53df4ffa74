import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { FPS_HOST_NAMES } from '../src/certs/local-ca.js'

const FPS_HOSTS: readonly string[] = FPS_HOST_NAMES

/**
 * A `fetch` that reaches a sandbox under FPS's own host names, as a hosts entry (and port 443
 * forwarded to the sandbox) would: it connects to `localUrl`'s address but sends the URL's own
 * host, in the Host header and, over https, as the TLS server name checked against the
 * certificate. Over https it trusts `ca` alone. Node's fetch cannot set Host, hence node:http.
 */
export function fetchAsFpsHosts(localUrl: string, ca?: string): typeof fetch {
  const local = new URL(localUrl)
  return async (input, init = {}) => {
    const url = new URL(input instanceof Request ? input.url : input)
    if (!FPS_HOSTS.includes(url.hostname))
      throw new Error(`${url.hostname} is not one of FPS's host names`)
    const request = local.protocol === 'https:' ? httpsRequest : httpRequest
    const body = init.body === undefined || init.body === null ? undefined : String(init.body)
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      request(
        {
          host: local.hostname,
          port: local.port,
          path: `${url.pathname}${url.search}`,
          method: init.method ?? 'GET',
          headers: { ...Object.fromEntries(new Headers(init.headers)), host: url.host },
          ...(local.protocol === 'https:' && { servername: url.hostname, ca: ca ?? [] }),
        },
        resolve
      )
        .once('error', reject)
        .end(body)
    })
    const chunks: Buffer[] = []
    for await (const chunk of response) chunks.push(chunk as Buffer)
    const headers = new Headers()
    for (const [name, value] of Object.entries(response.headers))
      if (value !== undefined) headers.set(name, String(value))
    return new Response(chunks.length > 0 ? Buffer.concat(chunks) : null, {
      status: response.statusCode ?? 500,
      headers,
    })
  }
}
