import { parseArgs } from 'node:util'
import { createSigner, type Signer } from './app.js'
import { loadDotEnv } from './config.js'
import { ConfigError } from './errors.js'
import { everyActivity, rangeTime } from './payments/account.js'
import { serveSigner } from './serve.js'
import { StoreUnavailableError } from './store/unavailable.js'

const USAGE = `Usage: fps-signer [serve]        start the signing server (PORT, default 8788)
       fps-signer reconcile      run one reconciliation sweep and print what it did
       fps-signer reconcile --ledger [--from <time>] [--to <time>]
                                 compare the orders created in the period (by default the last
                                 day) with FPS's account activity; print each disagreement, one
                                 JSON line each, then the summary; exit 1 on any
       fps-signer account        print the FPS account's balance
       fps-signer activity --from <time> [--to <time>]
                                 print the FPS account's transactions, one JSON line each
Times are ISO 8601 dates (midnight UTC) or date-times; --to defaults to now.
Settings come from the environment and a .env file; see the README.`

/** The options each command takes. */
const COMMANDS = {
  serve: [],
  reconcile: ['ledger', 'from', 'to'],
  account: [],
  activity: ['from', 'to'],
} as const satisfies Record<string, readonly string[]>

type Command = keyof typeof COMMANDS
type Options = { ledger?: boolean; from?: string; to?: string }

/** The `fps-signer` command; answers the process exit code. */
export async function main(args: readonly string[]): Promise<number> {
  if (args[0] === 'help' || args[0] === '--help') {
    process.stdout.write(`${USAGE}\n`)
    return 0
  }
  const parsed = parseCommand(args)
  if (typeof parsed === 'string') {
    process.stderr.write(`${parsed}${USAGE}\n`)
    return 2
  }
  const { command, options } = parsed
  // before anything reads a setting: PORT and HOST come from .env as the FPS settings do
  loadDotEnv()
  try {
    if (command === 'serve') return await serve()
    const signer = createSigner()
    try {
      return await run(signer, command, options)
    } finally {
      await signer.close()
    }
  } catch (error) {
    if (error instanceof StoreUnavailableError) {
      process.stderr.write(
        `fps-signer: DATABASE_URL: cannot write to the database: ${error.problem}\n`
      )
      return 1
    }
    if (!(error instanceof ConfigError)) throw error
    process.stderr.write(`fps-signer: ${error.message}\n`)
    return 1
  }
}

/** A command and its options, or the line that says what is wrong with them. */
function parseCommand(args: readonly string[]): { command: Command; options: Options } | string {
  const [name = 'serve', ...rest] = args
  if (!Object.hasOwn(COMMANDS, name)) return ''
  const command = name as Command
  let values: Options
  try {
    values = parseArgs({
      args: [...rest],
      options: { ledger: { type: 'boolean' }, from: { type: 'string' }, to: { type: 'string' } },
      strict: true,
    }).values
  } catch (error) {
    return `fps-signer: ${(error as Error).message}\n`
  }
  const allowed: readonly string[] = COMMANDS[command]
  const stray = Object.keys(values).find((option) => !allowed.includes(option))
  if (stray) return `fps-signer: ${command} takes no --${stray}\n`
  if (command === 'activity' && values.from === undefined) {
    return 'fps-signer: activity needs --from\n'
  }
  if (command === 'reconcile' && !values.ledger && (values.from ?? values.to) !== undefined) {
    return 'fps-signer: reconcile takes --from and --to with --ledger\n'
  }
  const options: Options = { ...(values.ledger ? { ledger: true } : {}) }
  for (const option of ['from', 'to'] as const) {
    const value = values[option]
    if (value === undefined) continue
    const time = rangeTime.safeParse(value)
    if (!time.success) return `fps-signer: --${option}: must be an ISO 8601 date or date-time\n`
    options[option] = time.data
  }
  return { command, options }
}

/** Runs a command that needs the signer but no server. */
async function run(signer: Signer, command: Exclude<Command, 'serve'>, options: Options) {
  if (command === 'reconcile' && options.ledger) {
    const { disagreements, ...summary } = await signer.reconcileLedger({
      from: options.from,
      to: options.to,
    })
    for (const disagreement of disagreements) print(disagreement)
    print({ ...summary, disagreements: disagreements.length })
    return disagreements.length > 0 ? 1 : 0
  }
  if (command === 'reconcile') {
    const report = await signer.sweep()
    print(report)
    return report.failed > 0 ? 1 : 0
  }
  if (command === 'account') {
    print({ account: await signer.accountBalance() })
    return 0
  }
  const range = { from: options.from!, to: options.to }
  for await (const transaction of everyActivity(signer.accountActivity, range)) print(transaction)
  return 0
}

async function serve(): Promise<number> {
  const running = await serveSigner(undefined, {
    port: port(process.env.PORT),
    hostname: process.env.HOST ?? '127.0.0.1',
  })
  print({ level: 'info', msg: 'listening', url: running.url })
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  await running.close()
  return 0
}

function print(value: object): void {
  process.stdout.write(`${JSON.stringify(value)}\n`)
}

function port(value: string | undefined): number {
  if (value === undefined || value === '') return 8788
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) {
    throw new ConfigError('PORT', 'must be a port number from 0 to 65535')
  }
  return Number(value)
}
