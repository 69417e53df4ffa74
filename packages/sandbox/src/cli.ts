#!/usr/bin/env node
import { parseArgs } from 'node:util'
import { FPS_HOST_NAMES, writeLocalCa } from './certs/local-ca.js'
import { parseCaller, parseNumber, parsePublicUrl, readTls } from './cli-flags.js'
import { ConfigError, SandboxError } from './errors.js'
import { serveSandbox } from './serve.js'
import { DEFAULT_CALLER, TEST_BUYER_PASSWORD, TEST_BUYERS } from './state/accounts.js'

const USAGE = `Usage: fps-sandbox [--port 8910] [--host 127.0.0.1] [--caller <accessKeyId>:<secretKey>[:<account>]]...
                   [--data <dir>] [--ipn-url <url>] [--settlement-delay-ms 3000] [--test-controls]
                   [--public-url <url>] [--tls-cert <file> --tls-key <file>]
       fps-sandbox ca <dir>

A local emulator of Amazon FPS: CBUI pages, FPS API, certificates, IPN and ledger.
Without --caller it accepts the documented development credentials and prints them.
--test-controls (or its former name --faults) serves /_sandbox/faults, /_sandbox/complete-pending
and /_sandbox/clock, which let anyone who reaches the sandbox make it drop answers or move its
clock ahead: for test suites only.
--public-url is the origin clients reach the sandbox by, which certificate URLs and links say
(https://fps.sandbox.amazonaws.com behind a hosts entry); --tls-cert and --tls-key serve https.
"fps-sandbox ca <dir>" writes a local CA and a certificate for FPS's host names (needs openssl).`

/** `fps-sandbox ca <dir>`: the files, and how to serve with them. */
async function ca(args: string[]): Promise<void> {
  const [dir, ...rest] = args
  if (dir === undefined || rest.length > 0)
    throw new ConfigError('fps-sandbox ca takes one directory.')
  const files = await writeLocalCa(dir)
  console.log(`Certificate for ${FPS_HOST_NAMES.join(', ')} and 127.0.0.1:`)
  console.log(
    `  CA to trust:  ${files.caCert}${files.reusedCa ? ' (kept: it was already there)' : ''}`
  )
  console.log(`  CA key:       ${files.caKey} (keep it private)`)
  console.log(`  Certificate:  ${files.cert}`)
  console.log(`  Key:          ${files.key}`)
  console.log(
    `Serve with: fps-sandbox --port 443 --tls-cert ${files.cert} --tls-key ${files.key} --public-url https://${FPS_HOST_NAMES[0]}`
  )
}

/** `pnpm sandbox -- --port 0` passes the `--` through; it only separates pnpm's flags from ours. */
function cliArgs(): string[] {
  const args = process.argv.slice(2)
  return args[0] === '--' ? args.slice(1) : args
}

async function main(): Promise<void> {
  const args = cliArgs()
  if (args[0] === 'ca') return ca(args.slice(1))
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      caller: { type: 'string', multiple: true },
      data: { type: 'string' },
      'ipn-url': { type: 'string' },
      'settlement-delay-ms': { type: 'string' },
      'test-controls': { type: 'boolean' },
      faults: { type: 'boolean' },
      'public-url': { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: false,
  })
  if (values.help) {
    console.log(USAGE)
    return
  }
  const ipnUrl = values['ipn-url']
  const callers = (values.caller ?? []).map((caller) => parseCaller(caller, ipnUrl))
  const publicUrl =
    values['public-url'] === undefined ? undefined : parsePublicUrl(values['public-url'])
  const tls = readTls(values['tls-cert'], values['tls-key'])
  const testControls = values['test-controls'] || values.faults
  const running = await serveSandbox({
    port: parseNumber(values.port, '--port', 8910),
    host: values.host ?? '127.0.0.1',
    settlementDelayMs: parseNumber(values['settlement-delay-ms'], '--settlement-delay-ms', 3000),
    log: (line) => console.error(line),
    ...(callers.length > 0
      ? { callers }
      : { callers: [{ ...DEFAULT_CALLER, ...(ipnUrl && { ipnUrl }) }] }),
    ...(values.data !== undefined && { dataDir: values.data }),
    ...(ipnUrl !== undefined && { ipnUrl }),
    ...(testControls && { testControls: true }),
    ...(publicUrl !== undefined && { publicUrl }),
    ...(tls && { tls }),
  })
  console.log(`FPS sandbox listening on ${running.localUrl}`)
  if (publicUrl !== undefined) console.log(`  Public URL: ${publicUrl} (certificate URLs say it)`)
  console.log(`  FPS API:  ${running.url}/`)
  console.log(`  CBUI:     ${running.url}/cobranded-ui/actions/start`)
  console.log(`  Accounts: ${running.url}/account`)
  if (testControls) {
    console.log(`  Fault injection: ${running.url}/_sandbox/faults`)
    console.log(`  Clock:    ${running.url}/_sandbox/clock`)
  }
  if (callers.length === 0) {
    console.log(
      `  Development credentials: accessKeyId ${DEFAULT_CALLER.accessKeyId} secretKey ${DEFAULT_CALLER.secretKey}`
    )
  } else {
    console.log(`  Callers: ${callers.map((caller) => caller.accessKeyId).join(', ')}`)
  }
  console.log(
    `  Test buyers (password "${TEST_BUYER_PASSWORD}"): ${TEST_BUYERS.map((buyer) => buyer.email).join(', ')}`
  )
  const stop = () => void running.close().then(() => process.exit(0))
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

main().catch((error: unknown) => {
  const usageError =
    error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')
  if (error instanceof ConfigError || usageError)
    console.error(`${(error as Error).message}\n\n${USAGE}`)
  else if (error instanceof SandboxError) console.error(error.message)
  else console.error(error)
  process.exit(usageError ? 2 : 1)
})
