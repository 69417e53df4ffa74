import { generateKeyPairSync } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { TEST_CERTIFICATE_PEM, TEST_PRIVATE_KEY_PEM } from '../../test/certificate.js'
import { readCertificate, signRsaSha1 } from './rsa.js'
import { createOutboundVerifier } from './verifier.js'

// The real reader, wrapped so that a test can count how many certificates were parsed.
vi.mock('./rsa.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./rsa.js')>()
  return { ...actual, readCertificate: vi.fn(actual.readCertificate) }
})

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

const CAP = 64 * 1024

/** What the test server answers, by path. */
const bodies: Record<string, string> = {
  '/cobranded-ui/sessions/s1': reviewPage,
  '/certs/genuine/PKICert.pem': TEST_CERTIFICATE_PEM,
  '/certs/same/PKICert.pem': `\r\n${TEST_CERTIFICATE_PEM.replaceAll('\n', '\r\n')}\r\n`,
  '/certs/bare-key/PKICert.pem': attackerPublicPem,
  '/certs/html/PKICert.pem': reviewPage,
  '/certs/text-before/PKICert.pem': `Our certificate:\n${TEST_CERTIFICATE_PEM}`,
  '/certs/text-after/PKICert.pem': `${TEST_CERTIFICATE_PEM}Valid until 2100.\n`,
  '/certs/twice/PKICert.pem': `${TEST_CERTIFICATE_PEM}${TEST_CERTIFICATE_PEM}`,
  '/certs/and-key/PKICert.pem': `${TEST_CERTIFICATE_PEM}${attackerPublicPem}`,
  '/certs/padded/PKICert.pem': `${TEST_CERTIFICATE_PEM}${' '.repeat(CAP)}`,
}

let server: Server
let origin: string
let requests: string[] = []

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0] ?? ''
    requests.push(path)
    const body = bodies[path]
    if (body !== undefined) response.end(body)
    else if (path === '/certs/moved/PKICert.pem') {
      response.writeHead(302, { location: '/certs/genuine/PKICert.pem' }).end()
    } else if (path === '/certs/elsewhere/PKICert.pem') {
      response.writeHead(301, { location: `${origin}/cobranded-ui/sessions/s1` }).end()
    } else if (path === '/certs/endless/PKICert.pem') {
      // a body that never ends: the reader must stop at the cap, not buffer it all
      response.writeHead(200, { 'content-type': 'application/x-pem-file' })
      const chunk = Buffer.alloc(16 * 1024, 'A')
      const pump = () => {
        while (!response.destroyed && response.write(chunk)) {}
      }
      response.on('drain', pump)
      pump()
    } else response.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => {
  server.closeAllConnections()
  return new Promise<void>((resolve) => server.close(() => resolve()))
})
beforeEach(() => {
  requests = []
  vi.mocked(readCertificate).mockClear()
})

const returnEndpoint = 'https://shop.example/return'

/** A return as FPS would send it, signed with `privateKey` and naming `certificateUrl`. */
function signedReturn(
  certificateUrl: string,
  privateKey: Parameters<typeof signRsaSha1>[0]['privateKey'] = attacker.privateKey
) {
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

const genuineReturn = (path: string) => signedReturn(`${origin}${path}`, TEST_PRIVATE_KEY_PEM)

const verifier = (prefix = `${origin}/certs/`) =>
  createOutboundVerifier({ allowedCertificatePrefixes: [prefix] })

describe('certificate trust', () => {
  it('(a) refuses a public key block inside an HTML page, even on an allow-listed origin', async () => {
    // The allow-list the signer once built: the whole API origin.
    const forged = signedReturn(`${origin}/cobranded-ui/sessions/s1`)
    await expect(verifier(`${origin}/`).verify(forged)).rejects.toMatchObject({
      name: 'SignatureError',
      code: 'certificate_unavailable',
    })
    const underCerts = signedReturn(`${origin}/certs/html/PKICert.pem`)
    await expect(verifier().verify(underCerts)).rejects.toMatchObject({
      code: 'certificate_unavailable',
    })
  })

  it('(a) refuses a bare public key served where a certificate should be', async () => {
    const forged = signedReturn(`${origin}/certs/bare-key/PKICert.pem`)
    await expect(verifier().verify(forged)).rejects.toMatchObject({
      code: 'certificate_unavailable',
    })
  })

  it('(b) refuses, without fetching, certificate URLs that leave /certs/ or hide behind tricks', async () => {
    const port = new URL(origin).port
    for (const certificateUrl of [
      `${origin}/cobranded-ui/sessions/s1`,
      `${origin}/certs/../cobranded-ui/sessions/s1`,
      `${origin}/certs/%2e%2e/cobranded-ui/sessions/s1`,
      `${origin}/certs/%2E%2e/cobranded-ui/sessions/s1`,
      `${origin}/certs/..%2fcobranded-ui/sessions/s1`,
      `${origin}/certs/%2e%2e%2fcobranded-ui/sessions/s1`,
      `${origin}/certs\\..\\cobranded-ui\\sessions\\s1`,
      `${origin}/certs/genuine/PKICert.pem\\..\\..\\..\\cobranded-ui/sessions/s1`,
      `http://user:secret@127.0.0.1:${port}/certs/genuine/PKICert.pem`,
      `http://127.0.0.1:${port}@evil.example/certs/genuine/PKICert.pem`,
      `http://127.0.0.1:${port}/certs@evil.example/certs/genuine/PKICert.pem`,
      `https://127.0.0.1:${port}/certs/genuine/PKICert.pem`,
      `${origin}/CERTS/genuine/PKICert.pem`,
      `${origin}/certs`,
      `ftp://127.0.0.1:${port}/certs/genuine/PKICert.pem`,
    ]) {
      await expect(
        verifier().verify(signedReturn(certificateUrl)),
        certificateUrl
      ).rejects.toMatchObject({ code: 'certificate_not_allowed' })
    }
    expect(requests).toEqual([])
  })

  it('(c) refuses a redirecting certificate URL as not allowed, not as unreachable', async () => {
    for (const path of ['/certs/moved/PKICert.pem', '/certs/elsewhere/PKICert.pem']) {
      await expect(verifier().verify(genuineReturn(path))).rejects.toMatchObject({
        name: 'SignatureError',
        code: 'certificate_not_allowed',
      })
    }
    // the redirect is never followed, even to a genuine certificate on the allow-list
    expect(requests).toEqual(['/certs/moved/PKICert.pem', '/certs/elsewhere/PKICert.pem'])
  })

  it('(d) refuses a genuine certificate with text before or after it', async () => {
    for (const path of ['/certs/text-before/PKICert.pem', '/certs/text-after/PKICert.pem']) {
      await expect(verifier().verify(genuineReturn(path)), path).rejects.toMatchObject({
        code: 'certificate_unavailable',
      })
    }
  })

  it('(e) refuses a body with a second block after the certificate', async () => {
    for (const path of ['/certs/twice/PKICert.pem', '/certs/and-key/PKICert.pem']) {
      await expect(verifier().verify(genuineReturn(path)), path).rejects.toMatchObject({
        code: 'certificate_unavailable',
      })
    }
  })

  it('(f) refuses a body over 64 KB, and stops reading one that never ends', async () => {
    await expect(
      verifier().verify(genuineReturn('/certs/padded/PKICert.pem'))
    ).rejects.toMatchObject({ code: 'certificate_unavailable' })
    const started = Date.now()
    await expect(
      verifier().verify(genuineReturn('/certs/endless/PKICert.pem'))
    ).rejects.toMatchObject({ code: 'certificate_unavailable' })
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('(g) verifies a genuine certificate under /certs/, parsed once for two URLs serving it', async () => {
    const v = verifier()
    await expect(v.verify(genuineReturn('/certs/genuine/PKICert.pem'))).resolves.toBeUndefined()
    // the same certificate with CRLF line breaks and surrounding blank lines
    await expect(v.verify(genuineReturn('/certs/same/PKICert.pem'))).resolves.toBeUndefined()
    await expect(v.verify(genuineReturn('/certs/genuine/PKICert.pem'))).resolves.toBeUndefined()
    expect(requests).toEqual(['/certs/genuine/PKICert.pem', '/certs/same/PKICert.pem'])
    expect(readCertificate).toHaveBeenCalledTimes(1)
  })

  it('refuses a cached certificate once it has expired', async () => {
    let now = new Date('2099-12-31T23:59:00Z')
    const v = createOutboundVerifier({
      allowedCertificatePrefixes: [`${origin}/certs/`],
      now: () => now,
    })
    await expect(v.verify(genuineReturn('/certs/genuine/PKICert.pem'))).resolves.toBeUndefined()
    now = new Date('2100-01-01T00:00:01Z')
    await expect(v.verify(genuineReturn('/certs/genuine/PKICert.pem'))).rejects.toMatchObject({
      code: 'certificate_unavailable',
    })
  })
})
