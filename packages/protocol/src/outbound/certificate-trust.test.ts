import { generateKeyPairSync } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { signRsaSha1 } from './rsa.js'
import { createOutboundVerifier } from './verifier.js'

// The forger's own key pair: nothing FPS (or the sandbox) ever certified.
const attacker = generateKeyPairSync('rsa', { modulusLength: 1024 })
const attackerPublicPem = attacker.publicKey.export({ type: 'spki', format: 'pem' }).toString()

/**
 * The sandbox's CBUI review page shows the checkout's `paymentReason`, which whoever starts a
 * checkout writes; a leading line break puts the key block at the start of a line, where OpenSSL
 * looks for one.
 */
const reason = `\n${attackerPublicPem}`
const reviewPage = `<!doctype html>
<html><head><title>Review your payment</title></head>
<body><table><tr><th>Reason</th><td>${reason}</td></tr></table>
<button>Pay now</button></body></html>`

let server: Server
let origin: string
let requests: string[] = []

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push(request.url ?? '')
    if (request.url === '/cobranded-ui/sessions/s1') {
      response.writeHead(200, { 'content-type': 'text/html' }).end(reviewPage)
    } else response.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))
beforeEach(() => {
  requests = []
})

const returnEndpoint = 'https://shop.example/return'

/** A return as FPS would send it, signed with `privateKey` and naming `certificateUrl`. */
function signedReturn(certificateUrl: string, privateKey = attacker.privateKey) {
  const params: Record<string, string> = {
    status: 'SC',
    tokenID: 'Q5IG5ETFCEBU8KBLTI4JHINQVL6VAJVHICBRR49AKLPIEZH1KB1S8C7VHAJJMLJ3',
    callerReference: 'order-42',
    signatureMethod: 'RSA-SHA1',
    signatureVersion: '2',
    certificateUrl,
  }
  const signature = signRsaSha1({ method: 'GET', endpoint: returnEndpoint, params, privateKey })
  return { method: 'GET' as const, endpoint: returnEndpoint, params: { ...params, signature } }
}

describe('certificate trust', () => {
  it('(a) refuses a public key block inside an HTML page, even on an allow-listed origin', async () => {
    // The allow-list the signer once built: the whole API origin.
    const verifier = createOutboundVerifier({ allowedCertificatePrefixes: [`${origin}/`] })
    const forged = signedReturn(`${origin}/cobranded-ui/sessions/s1`)
    await expect(verifier.verify(forged)).rejects.toMatchObject({
      name: 'SignatureError',
      code: 'certificate_unavailable',
    })
  })
})
