import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
} from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { bitString, integer, nullValue, oid, sequence, set, time, utf8String } from './der.js'

/** The sandbox's outbound signing identity: an RSA key and the certificate served for it. */
export interface SigningKey {
  privateKeyPem: string
  certificatePem: string
  /** Path segment of `/certs/<id>/PKICert.pem`; changes with the key so caches never mix them. */
  id: string
}

const SHA256_WITH_RSA = '1.2.840.113549.1.1.11'
const COMMON_NAME = '2.5.4.3'
const VALID_YEARS = 10
const KEY_FILE = 'signing-key.pem'
const CERT_FILE = 'PKICert.pem'

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? []
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`
}

/** A self-signed X.509 v1 certificate for the key, issued to and by "FPS Sandbox". */
function selfSignedCertificate(privateKeyPem: string, now = new Date()): string {
  const privateKey = createPrivateKey(privateKeyPem)
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' })
  const algorithm = sequence(oid(SHA256_WITH_RSA), nullValue())
  const name = sequence(set(sequence(oid(COMMON_NAME), utf8String('FPS Sandbox'))))
  const notBefore = new Date(now.getTime() - 60_000)
  const notAfter = new Date(now)
  notAfter.setUTCFullYear(now.getUTCFullYear() + VALID_YEARS)
  const serial = randomBytes(16)
  serial[0] = (serial[0] ?? 0) & 0x7f
  const tbs = sequence(
    integer(serial),
    algorithm,
    name,
    sequence(time(notBefore), time(notAfter)),
    name,
    spki
  )
  return pem('CERTIFICATE', sequence(tbs, algorithm, bitString(sign('sha256', tbs, privateKey))))
}

/** Wraps a private key with its certificate and the certificate's id. */
function signingKeyFrom(privateKeyPem: string, certificatePem: string): SigningKey {
  const id = createHash('sha256').update(certificatePem).digest('hex').slice(0, 12)
  return { privateKeyPem, certificatePem, id }
}

/** A fresh 2048-bit RSA key (FPS's production size) and its certificate. */
export function generateSigningKey(): SigningKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const privateKeyPem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()
  return signingKeyFrom(privateKeyPem, selfSignedCertificate(privateKeyPem))
}

/** The key kept in a data directory, made on first start, so signatures stay verifiable across restarts. */
export function loadOrCreateSigningKey(dataDir: string): SigningKey {
  try {
    return signingKeyFrom(
      readFileSync(join(dataDir, KEY_FILE), 'utf8'),
      readFileSync(join(dataDir, CERT_FILE), 'utf8')
    )
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  const key = generateSigningKey()
  mkdirSync(dataDir, { recursive: true })
  writeFileSync(join(dataDir, KEY_FILE), key.privateKeyPem, { mode: 0o600 })
  writeFileSync(join(dataDir, CERT_FILE), key.certificatePem)
  return key
}
