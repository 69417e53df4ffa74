import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { freePort } from './free-port.js'

const run = promisify(execFile)

/** A throwaway PostgreSQL cluster owned by the test run. */
export interface PostgresCluster {
  url: string
  stop(): Promise<void>
}

/** Where initdb and pg_ctl live: `PG_BINDIR` (set by scripts/check.sh), else the newest Debian install. */
function postgresBinDir(): string | undefined {
  if (process.env.PG_BINDIR && existsSync(join(process.env.PG_BINDIR, 'initdb'))) {
    return process.env.PG_BINDIR
  }
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return undefined
  const versions = readdirSync(root)
    .filter((version) => existsSync(join(root, version, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a))
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin')
}

/**
 * Starts a cluster in a temporary directory, on 127.0.0.1 and a free port, tuned for speed over
 * durability. initdb refuses to run as root, so as root it runs as the `postgres` user.
 */
export async function startPostgres(): Promise<PostgresCluster> {
  const bin = postgresBinDir()
  if (!bin) {
    throw new Error(
      'PostgreSQL binaries were not found (no PG_BINDIR, nothing in /usr/lib/postgresql/*/bin): ' +
        'install Debian\'s "postgresql" package (scripts/check.sh does it) to run the PostgreSQL tests.'
    )
  }
  const dir = mkdtempSync(join(tmpdir(), 'fps-signer-pg-'))
  const data = join(dir, 'data')
  const asRoot = process.getuid?.() === 0
  if (asRoot) await run('chown', ['postgres', dir])
  const pg = (tool: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args])
      : run(join(bin, tool), args)
  const port = await freePort()
  await pg('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '--no-sync',
    '--locale=C',
    '-E',
    'UTF8',
  ])
  const settings = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`
  await pg('pg_ctl', ['-D', data, '-o', settings, '-l', join(dir, 'log'), '-w', 'start'])
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await pg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined)
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
