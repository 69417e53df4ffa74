import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { access, chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { SandboxError } from '../errors.js'

/** The names FPS's clients connect to, sandbox and production, and the loopback ones. */
export const FPS_HOST_NAMES = [
  'fps.sandbox.amazonaws.com',
  'authorize.payments-sandbox.amazon.com',
  'fps.amazonaws.com',
  'authorize.payments.amazon.com',
  'localhost',
] as const

/** The files `fps-sandbox ca` writes into its directory. */
export const LOCAL_CA_FILES = {
  caCert: 'ca.pem',
  caKey: 'ca-key.pem',
  cert: 'server.pem',
  key: 'server-key.pem',
} as const

/** What {@link writeLocalCa} wrote, as absolute paths; `reusedCa` when the CA was already there. */
export type LocalCa = Record<keyof typeof LOCAL_CA_FILES, string> & { reusedCa: boolean }

/**
 * openssl's configuration: a CA that may only sign end-entity certificates, and a server
 * certificate within the 825 days Apple's TLS stack accepts, with the key identifiers that strict
 * verifiers (Python 3.13's VERIFY_X509_STRICT) ask for.
 */
const CONFIG = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = fps-sandbox local CA
[ca]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = ${FPS_HOST_NAMES.map((name) => `DNS:${name}`).join(', ')}, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`

const run = promisify(execFile)

/** Runs openssl, which issues the certificates: Node's crypto makes keys but cannot sign X.509. */
async function openssl(args: string[]): Promise<void> {
  try {
    await run('openssl', args)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new SandboxError(
        'openssl_missing',
        'fps-sandbox ca needs the openssl command, which is not on PATH. Install OpenSSL (Debian and Ubuntu: apt-get install openssl) and run it again.'
      )
    }
    const stderr = (error as { stderr?: string }).stderr ?? ''
    throw new SandboxError('openssl_failed', `openssl ${args[0]} failed: ${stderr.trim()}`)
  }
}

/** 128 random bits with the top one clear: positive (RFC 5280), and unique across reissues. */
const randomSerial = () =>
  `0x${randomBytes(16)
    .toString('hex')
    .replace(/^[89a-f]/, '7')}`

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false
  )

/**
 * Writes a local CA and a certificate for FPS's host names into `dir`. A CA already there is kept,
 * so whatever trusts it goes on trusting the fresh server certificate.
 */
export async function writeLocalCa(dir: string): Promise<LocalCa> {
  await mkdir(dir, { recursive: true })
  const paths = Object.fromEntries(
    Object.entries(LOCAL_CA_FILES).map(([role, file]) => [role, join(dir, file)])
  ) as Record<keyof typeof LOCAL_CA_FILES, string>
  const reusedCa = (await exists(paths.caCert)) && (await exists(paths.caKey))
  const work = await mkdtemp(join(tmpdir(), 'fps-sandbox-ca-'))
  try {
    const config = join(work, 'openssl.cnf')
    const request = join(work, 'server.csr')
    await writeFile(config, CONFIG)
    const newKey = ['-newkey', 'rsa:2048', '-nodes', '-sha256', '-config', config]
    if (!reusedCa) {
      await openssl([
        ...['req', '-x509', ...newKey, '-extensions', 'ca', '-days', '3650'],
        ...['-keyout', paths.caKey, '-out', paths.caCert],
      ])
    }
    await openssl([
      ...['req', '-new', ...newKey, '-subj', `/CN=${FPS_HOST_NAMES[0]}`],
      ...['-keyout', paths.key, '-out', request],
    ])
    await openssl([
      ...['x509', '-req', '-in', request, '-sha256', '-days', '825'],
      ...['-CA', paths.caCert, '-CAkey', paths.caKey],
      ...['-set_serial', randomSerial()],
      ...['-extfile', config, '-extensions', 'server', '-out', paths.cert],
    ])
    await Promise.all([chmod(paths.caKey, 0o600), chmod(paths.key, 0o600)])
    return { ...paths, reusedCa }
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}
