import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'

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
afterEach(() => {
  for (const child of children.splice(0)) child.kill()
})

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

  it('serves fault injection only with --faults', async () => {
    const plain = await start(['--port', '0'])
    const plainUrl = /http:\/\/127\.0\.0\.1:\d+/.exec(plain.firstLine)?.[0]
    expect((await fetch(`${plainUrl}/_sandbox/faults`)).status).toBe(404)
    expect(plain.output()).not.toContain('Fault injection')
    const faulty = await start(['--port', '0', '--faults'])
    const faultyUrl = /http:\/\/127\.0\.0\.1:\d+/.exec(faulty.firstLine)?.[0]
    expect((await fetch(`${faultyUrl}/_sandbox/faults`)).status).toBe(200)
    expect(faulty.output()).toContain(`Fault injection: ${faultyUrl}/_sandbox/faults`)
  })

  it('explains a malformed flag with the usage', async () => {
    await expect(start(['--caller', 'no-secret'])).rejects.toThrow(
      /must look like <accessKeyId>:<secretKey>.*Usage: fps-sandbox/s
    )
  })
})
