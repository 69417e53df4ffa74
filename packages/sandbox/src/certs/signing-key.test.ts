import { createPrivateKey, X509Certificate } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { integer, oid, time } from './der.js'
import { generateSigningKey } from './signing-key.js'

describe('the self-signed certificate', () => {
  it('is a valid X.509 certificate for the signing key, self-signed by "FPS Sandbox"', () => {
    const key = generateSigningKey()
    const certificate = new X509Certificate(key.certificatePem)
    expect(certificate.subject).toBe('CN=FPS Sandbox')
    expect(certificate.issuer).toBe('CN=FPS Sandbox')
    expect(certificate.verify(certificate.publicKey)).toBe(true)
    expect(certificate.checkPrivateKey(createPrivateKey(key.privateKeyPem))).toBe(true)
    expect(new Date(certificate.validTo).getTime()).toBeGreaterThan(
      Date.now() + 9 * 365 * 86_400_000
    )
    expect(key.id).toMatch(/^[0-9a-f]{12}$/)
  })
})

describe('DER encoding', () => {
  it('encodes object identifiers, positive integers and both time forms', () => {
    expect(oid('1.2.840.113549.1.1.11').toString('hex')).toBe('06092a864886f70d01010b')
    expect(integer(Buffer.from([0x80])).toString('hex')).toBe('02020080')
    expect(time(new Date('2030-01-02T03:04:05Z')).toString('ascii').slice(2)).toBe('300102030405Z')
    expect(time(new Date('2051-01-02T03:04:05Z')).toString('ascii').slice(2)).toBe(
      '20510102030405Z'
    )
  })
})
