#!/usr/bin/env node
import { parseArgs } from 'node:util'
import { ConfigError } from './errors.js'
import type { CallerOptions } from './runtime.js'
import { serveSandbox } from './serve.js'
import { DEFAULT_CALLER, TEST_BUYER_PASSWORD, TEST_BUYERS } from './state/accounts.js'

const USAGE = `Usage: fps-sandbox [--port 8910] [--host 127.0.0.1] [--caller <accessKeyId>:<secretKey>[:<account>]]...
                   [--data <dir>] [--ipn-url <url>] [--settlement-delay-ms 3000] [--faults]

A local emulator of Amazon FPS: CBUI pages, FPS API, certificates, IPN and ledger.
Without --caller it accepts the documented development credentials and prints them.
--faults serves /_sandbox/faults and /_sandbox/complete-pending, which let anyone who reaches the
sandbox make it drop answers: for test suites only.`

/** `key:secret[:account]`; secrets never contain a colon in AWS's alphabet. */
function parseCaller(value: string, ipnUrl: string | undefined): CallerOptions {
  const [accessKeyId, secretKey, account] = value.split(':')
  if (!accessKeyId || !secretKey) {
    throw new ConfigError(
      `--caller "${accessKeyId ?? ''}:…" must look like <accessKeyId>:<secretKey>[:<account>].`
    )
  }
  return { accessKeyId, secretKey, ...(account && { account }), ...(ipnUrl && { ipnUrl }) }
}

function parseNumber(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback
  if (!/^\d+$/.test(value)) throw new ConfigError(`${flag} must be a whole number, not "${value}".`)
  return Number(value)
}

/** `pnpm sandbox -- --port 0` passes the `--` through; it only separates pnpm's flags from ours. */
function cliArgs(): string[] {
  const args = process.argv.slice(2)
  return args[0] === '--' ? args.slice(1) : args
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: cliArgs(),
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      caller: { type: 'string', multiple: true },
      data: { type: 'string' },
      'ipn-url': { type: 'string' },
      'settlement-delay-ms': { type: 'string' },
      faults: { type: 'boolean' },
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
    ...(values.faults && { faults: true }),
  })
  console.log(`FPS sandbox listening on ${running.url}`)
  console.log(`  FPS API:  ${running.url}/`)
  console.log(`  CBUI:     ${running.url}/cobranded-ui/actions/start`)
  console.log(`  Accounts: ${running.url}/account`)
  if (values.faults) console.log(`  Fault injection: ${running.url}/_sandbox/faults`)
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
  else console.error(error)
  process.exit(usageError ? 2 : 1)
})
