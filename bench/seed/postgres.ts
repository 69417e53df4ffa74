import { execFile } from 'node:child_process'
import { once } from 'node:events'
import { chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Writable } from 'node:stream'
import { finished } from 'node:stream/promises'
import { promisify } from 'node:util'
import { openStore } from '@fps-checkout/signer'
import { freePort } from '@fps-checkout/signer/testing'
import { connectPostgres } from './drivers.js'
import { type SeedPlan, seedOrders } from './plan.js'
import { TABLES, type TableKey, type Value } from './rows.js'

const run = promisify(execFile)

/** A PostgreSQL cluster kept between bench runs, and a way to reach its databases. */
export interface CachedCluster {
  /** The URL of one of its databases. */
  url(database: string): string
  /** Runs statements on its `postgres` database, one at a time. */
  admin(sql: string): Promise<Record<string, unknown>[]>
  stop(): Promise<void>
}

/** Debian's newest PostgreSQL binaries, as the signer's tests find them. */
function binDir(): string {
  if (process.env.PG_BINDIR && existsSync(join(process.env.PG_BINDIR, 'initdb'))) {
    return process.env.PG_BINDIR
  }
  const root = '/usr/lib/postgresql'
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((version) => existsSync(join(root, version, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : []
  if (!versions[0]) {
    throw new Error(
      'PostgreSQL was not found in /usr/lib/postgresql: install Debian\'s "postgresql".'
    )
  }
  return join(root, versions[0], 'bin')
}

/**
 * Starts the cluster kept in `dir` (made on first use), tuned like the signer tests' throwaway
 * clusters (`startPostgres`: no fsync, asynchronous commit). initdb refuses to run as root, so as
 * root the cluster belongs to the `postgres` user.
 */
export async function startCachedCluster(dir: string): Promise<CachedCluster> {
  const bin = binDir()
  const data = join(dir, 'data')
  const asRoot = process.getuid?.() === 0
  const pg = (tool: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args])
      : run(join(bin, tool), args)
  if (!existsSync(join(data, 'PG_VERSION'))) {
    mkdirSync(dir, { recursive: true })
    if (asRoot) chownSync(dir, ...(await postgresIds()))
    await pg('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '--locale=C'])
  }
  const port = await freePort()
  const settings = [
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`,
    '-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200',
  ].join(' ')
  await pg('pg_ctl', ['-D', data, '-o', settings, '-l', join(dir, 'log'), '-w', 'start'])
  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`
  const client = connectPostgres(url('postgres'))
  return {
    url,
    admin: (sql) => Promise.resolve(client.unsafe(sql)),
    async stop() {
      await client.end({ timeout: 5 })
      await pg('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop'])
    },
  }
}

async function postgresIds(): Promise<[number, number]> {
  const { stdout } = await run('id', ['-u', 'postgres'])
  const { stdout: group } = await run('id', ['-g', 'postgres'])
  return [Number(stdout.trim()), Number(group.trim())]
}

/** Bytes of COPY text gathered per table before they are written to its stream. */
const CHUNK_BYTES = 1 << 20

/**
 * Fills a new database with the plan's orders: the signer's own migrations first (through its
 * `openStore`), then one `COPY … FROM STDIN` per table, all at once on connections of their own
 * (foreign-key triggers off, as a restore runs them: the rows are whole by construction), then
 * `VACUUM ANALYZE`, as autovacuum would have done over the year.
 */
export async function seedPostgres(
  cluster: CachedCluster,
  database: string,
  plan: SeedPlan,
  seededAt: number,
  progress: (done: number) => void = () => {}
): Promise<void> {
  await cluster.admin(`CREATE DATABASE ${database}`)
  // room for the load's WAL while it runs, given back after (the cluster keeps what it allows)
  await cluster.admin("ALTER SYSTEM SET max_wal_size = '8GB'")
  await cluster.admin('SELECT pg_reload_conf()')
  const store = openStore(cluster.url(database))
  await store.migrate()
  await store.close()
  const keys = Object.keys(TABLES) as TableKey[]
  const client = connectPostgres(cluster.url(database), keys.length, {
    session_replication_role: 'replica',
  })
  try {
    const streams = Object.fromEntries(
      await Promise.all(
        keys.map(async (key) => {
          const { name, columns } = TABLES[key]
          const stream = await client
            .unsafe(`COPY ${name} (${columns.join(', ')}) FROM STDIN`)
            .writable()
          return [key, new CopyStream(stream)] as const
        })
      )
    ) as Record<TableKey, CopyStream>
    let done = 0
    for (const rows of seedOrders(plan, seededAt)) {
      for (const key of keys) for (const row of rows[key]) streams[key].add(row)
      // a pause now and then lets the streams drain, and PostgreSQL work meanwhile
      if (++done % 2_000 === 0) await Promise.all(keys.map((key) => streams[key].flush()))
      if (done % 20_000 === 0) progress(done)
    }
    await Promise.all(keys.map((key) => streams[key].end()))
    await client.unsafe('VACUUM ANALYZE')
  } finally {
    await client.end({ timeout: 5 })
    await cluster.admin('ALTER SYSTEM RESET max_wal_size')
    await cluster.admin('SELECT pg_reload_conf()')
    await cluster.admin('CHECKPOINT')
  }
}

/** A table's COPY stream: rows gathered as COPY text and written a chunk at a time. */
class CopyStream {
  #text = ''

  constructor(readonly stream: Writable) {}

  add(row: readonly Value[]): void {
    this.#text += `${row.map(copyText).join('\t')}\n`
    if (this.#text.length >= CHUNK_BYTES) void this.#write()
  }

  /** Writes what is gathered and waits for the stream to take more. */
  async flush(): Promise<void> {
    await this.#write()
  }

  async end(): Promise<void> {
    await this.#write()
    this.stream.end()
    await finished(this.stream)
  }

  async #write(): Promise<void> {
    const text = this.#text
    this.#text = ''
    if (text && !this.stream.write(text)) await once(this.stream, 'drain')
  }
}

/** A value in COPY's text format: `\N` for NULL, backslashes and control characters escaped. */
function copyText(value: Value): string {
  if (value === null) return '\\N'
  if (typeof value === 'number') return String(value)
  return /[\\\t\n\r]/.test(value)
    ? value.replace(
        /[\\\t\n\r]/g,
        (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c] ?? c
      )
    : value
}
