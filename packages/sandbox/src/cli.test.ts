import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import {
  buildCbuiUrl,
  CBUI_ENDPOINTS,
  createOutboundVerifier,
  FPS_CERTIFICATE_PREFIXES,
} from '@fps-checkout/protocol'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { fetchAsFpsHosts } from '../test/fps-hosts.js'
import { walkPaymentPages } from '../testing/index.js'
import { DEFAULT_CALLER } from './state/accounts.js'

const PACKAGE = fileURLToPath(new URL('..', import.meta.url))
const resolve = createRequire(import.meta.url).resolve

/**
 * How the CLI starts: from its source under tsx, reading the workspace's packages from theirs
 * (the `source` condition), or as the package's bin on plain Node, all compiled (dist/).
 */
const ENTRIES = {
  source: [
    '--import',
    'tsx',
    '--conditions=source',
    fileURLToPath(new URL('./cli.ts', import.meta.url)),
  ],
  bin: [`${PACKAGE}bin/fps-sandbox.js`],
}

// build the CLI the bin runs (incremental: a second or two when it is up to date)
beforeAll(() => {
  execFileSync(process.execPath, [resolve('typescript/bin/tsc'), '--build', 'tsconfig.lib.json'], {
    cwd: PACKAGE,
    stdio: 'pipe',
  })
}, 120_000)

const children: ChildProcess[] = []
const directories: string[] = []
afterEach(async () => {
  for (const child of children.splice(0)) child.kill()
  await Promise.all(directories.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

/** Runs `fps-sandbox ca` in a fresh directory; answers the directory and what it printed. */
async function ca(path = process.env.PATH ?? '') {
  const dir = await mkdtemp(join(tmpdir(), 'fps-sandbox-ca-test-'))
  directories.push(dir)
  const { stdout } = await promisify(execFile)(process.execPath, [...ENTRIES.bin, 'ca', dir], {
    env: { PATH: path },
  })
  return { dir, stdout }
}

/** Starts the CLI, by default as the package's bin on plain Node, and answers its first output line. */
function start(
  args: string[],
  entry: keyof typeof ENTRIES = 'bin'
): Promise<{ child: ChildProcess; firstLine: string; output: () => string }> {
  const child = spawn(process.execPath, [...ENTRIES[entry], ...args], {
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let output = ''
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('Test buyers'))
        resolve({ child, firstLine: output.split('\n')[0] ?? '', output: () => output })
    })
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.on('exit', (code) => reject(new Error(`fps-sandbox exited with ${code}: ${output}`)))
  })
}

/** Each test starts Node and generates an RSA key: seconds on a busy 2-core machine. */
describe('fps-sandbox CLI', { timeout: 30_000 }, () => {
  it('runs as the bin: prints its URL on a free port and the development credentials, then serves', async () => {
    const { firstLine, output } = await start(['--port', '0'])
    const url = /http:\/\/127\.0\.0\.1:\d+/.exec(firstLine)?.[0]
    expect(url).toBeDefined()
    expect(output()).toContain(
      'accessKeyId AKIAFPSSANDBOXDEV001 secretKey fps-sandbox-development-secret-key-0001'
    )
    const response = await fetch(`${url}/account`)
    expect(response.status).toBe(200)
  })

  it('runs from its source as `pnpm sandbox -- --port 0` does', async () => {
    const { firstLine } = await start(['--', '--port', '0'], 'source')
    const url = /http:\/\/127\.0\.0\.1:\d+/.exec(firstLine)?.[0]
    expect((await fetch(`${url}/account`)).status).toBe(200)
  })

  it('prints callers by key id only, never their secrets', async () => {
    const { output } = await start([
      '--port',
      '0',
      '--caller',
      'AKIACLI0000000000001:cli-secret-value',
    ])
    expect(output()).toContain('Callers: AKIACLI0000000000001')
    expect(output()).not.toContain('cli-secret-value')
  })

  it('serves the test controls only when asked: none by default, all with --faults (their former name)', async () => {
    const plain = await start(['--port', '0'])
    const plainUrl = /http:\/\/127\.0\.0\.1:\d+/.exec(plain.firstLine)?.[0]
    expect((await fetch(`${plainUrl}/_sandbox/faults`)).status).toBe(404)
    expect((await fetch(`${plainUrl}/_sandbox/clock`)).status).toBe(404)
    expect(plain.output()).not.toContain('Fault injection')
    const faulty = await start(['--port', '0', '--faults'])
    const faultyUrl = /http:\/\/127\.0\.0\.1:\d+/.exec(faulty.firstLine)?.[0]
    expect((await fetch(`${faultyUrl}/_sandbox/faults`)).status).toBe(200)
    expect(faulty.output()).toContain(`Fault injection: ${faultyUrl}/_sandbox/faults`)
  })

  it('moves the clock of a sandbox run with --test-controls over HTTP', async () => {
    const controlled = await start(['--port', '0', '--test-controls'])
    const controlledUrl = /http:\/\/127\.0\.0\.1:\d+/.exec(controlled.firstLine)?.[0]
    expect(controlled.output()).toContain(`Clock:    ${controlledUrl}/_sandbox/clock`)
    const moved = await fetch(`${controlledUrl}/_sandbox/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceMs: 86_400_000 }),
    })
    expect(await moved.json()).toMatchObject({ offsetMs: 86_400_000 })
  })

  it('serves https as FPS’s own hosts with `fps-sandbox ca`’s certificate, its certificate URLs on the public URL', async () => {
    const { dir, stdout } = await ca()
    expect(stdout).toContain(`CA to trust:  ${join(dir, 'ca.pem')}`)
    const { firstLine, output } = await start([
      ...['--port', '0', '--public-url', 'https://fps.sandbox.amazonaws.com'],
      ...['--tls-cert', join(dir, 'server.pem'), '--tls-key', join(dir, 'server-key.pem')],
    ])
    const localUrl = /https:\/\/127\.0\.0\.1:\d+/.exec(firstLine)?.[0] ?? ''
    expect(output()).toContain('Public URL: https://fps.sandbox.amazonaws.com')
    // a client that trusts only the usual CAs is refused; one that trusts the local CA gets through
    await expect(fetch(`${localUrl}/account`)).rejects.toThrow()
    const viaFpsHosts = fetchAsFpsHosts(localUrl, await readFile(join(dir, 'ca.pem'), 'utf8'))
    const startUrl = buildCbuiUrl({
      endpoint: CBUI_ENDPOINTS.sandbox,
      accessKeyId: DEFAULT_CALLER.accessKeyId,
      secretKey: DEFAULT_CALLER.secretKey,
      request: {
        pipelineName: 'SingleUse',
        callerReference: 'cli-https',
        returnURL: 'https://shop.example/return',
        transactionAmount: '1.00',
      },
    })
    const back = await walkPaymentPages(startUrl, { cancelAt: 'signin', fetch: viaFpsHosts })
    expect(back.searchParams.get('certificateUrl')).toMatch(
      /^https:\/\/fps\.sandbox\.amazonaws\.com\/certs\/[0-9a-f]{12}\/PKICert\.pem$/
    )
    // the check Amazon's own libraries make: a certificate only from FPS's sandbox host, over https
    const verifier = createOutboundVerifier({
      allowedCertificatePrefixes: FPS_CERTIFICATE_PREFIXES,
      fetch: viaFpsHosts,
    })
    await verifier.verify({
      method: 'GET',
      endpoint: 'https://shop.example/return',
      params: Object.fromEntries(back.searchParams),
    })
  })

  it('keeps the CA `fps-sandbox ca` finds, and names openssl when it is missing', async () => {
    const { dir } = await ca()
    const caPem = await readFile(join(dir, 'ca.pem'), 'utf8')
    const again = await promisify(execFile)(process.execPath, [...ENTRIES.bin, 'ca', dir])
    expect(again.stdout).toContain('(kept: it was already there)')
    expect(await readFile(join(dir, 'ca.pem'), 'utf8')).toBe(caPem)
    await expect(ca('/nonexistent')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('needs the openssl command, which is not on PATH'),
    })
  })

  it('explains a malformed flag with the usage', async () => {
    await expect(start(['--caller', 'no-secret'])).rejects.toThrow(
      /must look like <accessKeyId>:<secretKey>.*Usage: fps-sandbox/s
    )
    await expect(start(['--public-url', 'https://fps.sandbox.amazonaws.com/api'])).rejects.toThrow(
      /--public-url must be an http\(s\) origin/
    )
    await expect(start(['--tls-cert', 'server.pem'])).rejects.toThrow(
      /--tls-cert and --tls-key go together/
    )
  })
})
