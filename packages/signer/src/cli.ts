import { createSigner } from './app.js'
import { loadDotEnv } from './config.js'
import { ConfigError } from './errors.js'
import { serveSigner } from './serve.js'
import { StoreUnavailableError } from './store/unavailable.js'

const USAGE = `Usage: fps-signer [serve]     start the signing server (PORT, default 8788)
       fps-signer reconcile   run one reconciliation sweep and print what it did
Settings come from the environment and a .env file; see the README.`

/** The `fps-signer` command; answers the process exit code. */
export async function main(args: readonly string[]): Promise<number> {
  const [command = 'serve', ...rest] = args
  if (rest.length > 0 || !['serve', 'reconcile', 'help', '--help'].includes(command)) {
    process.stderr.write(`${USAGE}\n`)
    return 2
  }
  if (command === 'help' || command === '--help') {
    process.stdout.write(`${USAGE}\n`)
    return 0
  }
  // before anything reads a setting: PORT and HOST come from .env as the FPS settings do
  loadDotEnv()
  try {
    if (command === 'reconcile') {
      const signer = createSigner()
      try {
        const report = await signer.sweep()
        process.stdout.write(`${JSON.stringify(report)}\n`)
        return report.failed > 0 ? 1 : 0
      } finally {
        await signer.close()
      }
    }
    const running = await serveSigner(undefined, {
      port: port(process.env.PORT),
      hostname: process.env.HOST ?? '127.0.0.1',
    })
    process.stdout.write(
      `${JSON.stringify({ level: 'info', msg: 'listening', url: running.url })}\n`
    )
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve)
      process.once('SIGTERM', resolve)
    })
    await running.close()
    return 0
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

function port(value: string | undefined): number {
  if (value === undefined || value === '') return 8788
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) {
    throw new ConfigError('PORT', 'must be a port number from 0 to 65535')
  }
  return Number(value)
}
