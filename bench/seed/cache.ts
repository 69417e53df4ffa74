import { createHash } from 'node:crypto'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { openStore } from '@fps-checkout/signer'
import { checkSeedRows } from './check.js'
import { connectPostgres, openSqliteFile } from './drivers.js'
import type { SeedPlan } from './plan.js'
import { type CachedCluster, seedPostgres } from './postgres.js'
import { seedSqlite } from './sqlite.js'

/**
 * The version of what the seed writes: raise it whenever `rows.ts` or `plan.ts` changes a row,
 * so that cached stores are seeded again.
 */
export const SEED_VERSION = 1

/** Seeded stores, and the PostgreSQL cluster holding its seeded databases (gitignored). */
export const CACHE = fileURLToPath(new URL('../.cache/', import.meta.url))

/** The signer's schema as a store has it: its last migration, and a digest of its tables and indexes. */
export interface Schema {
  version: number
  digest: string
}

/** A seeded store in the cache. */
export interface Seed {
  plan: SeedPlan
  /** When its orders end (epoch ms). */
  seededAt: number
  /** The schema it was seeded with, and the one it has now. */
  seededWith: Schema
  schema: Schema
  /** How long seeding took. */
  seconds: number
  /** Found in the cache rather than seeded by this run. */
  cached: boolean
  /** Migrations the signer added since, run on the cached store by this run (how long they took). */
  migrated?: { from: number; to: number; seconds: number }
}

/**
 * Where a seed is cached: by the seed's version and the plan's size. The schema is checked on
 * use: a store seeded before migrations the signer has added since gets them (the signer's own
 * `migrate`, as any store upgraded in place); one whose schema still differs from a fresh store's
 * after that (an edited migration) is seeded again.
 */
function cacheKey(plan: SeedPlan): string {
  return `s${SEED_VERSION}_${plan.orders}`
}

/** A digest of SQLite's schema text, tables and indexes. */
function sqliteSchema(path: string): Schema {
  const db = openSqliteFile(path)
  try {
    const version = Number(db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get()?.v)
    const schema = db
      .prepare(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type, name"
      )
      .all()
      .map((row) => `${String(row.type)} ${String(row.name)}: ${String(row.sql)}`)
      .join('\n')
    return { version, digest: createHash('sha256').update(schema).digest('hex').slice(0, 12) }
  } finally {
    db.close()
  }
}

/** A digest of PostgreSQL's columns (type, nullability, default) and index definitions. */
async function postgresSchema(url: string): Promise<Schema> {
  const client = connectPostgres(url)
  try {
    const [version] = await client.unsafe('SELECT MAX(version) AS v FROM schema_migrations')
    const columns = await client.unsafe(
      `SELECT table_name, column_name, data_type, is_nullable, column_default
       FROM information_schema.columns WHERE table_schema = 'public'
       ORDER BY table_name, column_name`
    )
    const indexes = await client.unsafe(
      "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname"
    )
    const text = [...columns, ...indexes].map((row) => Object.values(row).join(' ')).join('\n')
    return {
      version: Number(version?.v),
      digest: createHash('sha256').update(text).digest('hex').slice(0, 12),
    }
  } finally {
    await client.end({ timeout: 5 })
  }
}

async function migrate(url: string): Promise<void> {
  const store = openStore(url)
  try {
    await store.migrate()
  } finally {
    await store.close()
  }
}

/** The schema the signer's migrations make today, on a fresh SQLite file. */
async function currentSqliteSchema(): Promise<Schema> {
  const dir = mkdtempSync(join(tmpdir(), 'fps-bench-schema-'))
  try {
    const path = join(dir, 'schema.db')
    await migrate(`file:${path}`)
    return sqliteSchema(path)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

let checked: Promise<void> | undefined

/** The seed's rows against a real purchase's, once a process, before anything is seeded. */
function checkOnce(): Promise<void> {
  checked ??= checkSeedRows()
  return checked
}

function progressLog(engine: string, plan: SeedPlan, started: number) {
  return (done: number) => {
    if (done % 100_000 === 0) {
      const seconds = (performance.now() - started) / 1000
      process.stderr.write(
        `  ${engine}: ${done.toLocaleString('en-US')} of ${plan.orders.toLocaleString('en-US')} orders, ${seconds.toFixed(0)} s\n`
      )
    }
  }
}

function readSeed(path: string): Seed | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Seed) : undefined
}

/**
 * Brings a cached seed up to the signer's schema with its own migrations: answers the seed as it
 * then is, or undefined when its schema still differs (it must be seeded again).
 */
async function catchUp(
  seed: Seed,
  want: Schema,
  url: string,
  schemaOf: () => Schema | Promise<Schema>
): Promise<Seed | undefined> {
  const before = await schemaOf()
  if (before.digest === want.digest) return { ...seed, schema: before, cached: true }
  if (before.version >= want.version) return undefined
  process.stderr.write(
    `migrating the cached store from version ${before.version} to ${want.version}\n`
  )
  const started = performance.now()
  await migrate(url)
  const after = await schemaOf()
  if (after.digest !== want.digest) return undefined
  const migrated = {
    from: seed.migrated?.from ?? before.version,
    to: after.version,
    seconds: (seed.migrated?.seconds ?? 0) + (performance.now() - started) / 1000,
  }
  return { ...seed, schema: after, migrated, cached: true }
}

/** The seeded SQLite file of `plan`, from the cache (caught up) or seeded now. */
export async function sqliteSeed(plan: SeedPlan): Promise<Seed & { path: string }> {
  const key = cacheKey(plan)
  const dir = join(CACHE, 'sqlite')
  const path = join(dir, `${key}.db`)
  const metaPath = join(dir, `${key}.json`)
  const want = await currentSqliteSchema()
  const cached = existsSync(path) ? readSeed(metaPath) : undefined
  if (cached) {
    const seed = await catchUp(cached, want, `file:${path}`, () => checkpointed(path))
    if (seed) {
      writeFileSync(metaPath, JSON.stringify({ ...seed, cached: false }))
      return { ...seed, path }
    }
  }
  mkdirSync(dir, { recursive: true })
  for (const suffix of [
    '.db',
    '.db-wal',
    '.db-shm',
    '.json',
    '.partial.db',
    '.partial.db-wal',
    '.partial.db-shm',
  ]) {
    rmSync(join(dir, `${key}${suffix}`), { force: true })
  }
  await checkOnce()
  process.stderr.write(`seeding SQLite (once; cached in ${dir})\n`)
  const partial = join(dir, `${key}.partial.db`)
  const seededAt = Date.now()
  const started = performance.now()
  await seedSqlite(partial, plan, seededAt, progressLog('SQLite', plan, started))
  const seconds = (performance.now() - started) / 1000
  for (const suffix of ['-wal', '-shm']) rmSync(`${partial}${suffix}`, { force: true })
  renameSync(partial, path)
  const schema = sqliteSchema(path)
  const seed: Seed = { plan, seededAt, seededWith: schema, schema, seconds, cached: false }
  writeFileSync(metaPath, JSON.stringify(seed))
  return { ...seed, path }
}

/** The schema of a SQLite file whose WAL has been written back into it, so a copy has it all. */
function checkpointed(path: string): Schema {
  const db = openSqliteFile(path)
  try {
    db.exec('PRAGMA wal_checkpoint(TRUNCATE)')
  } finally {
    db.close()
  }
  return sqliteSchema(path)
}

/** A copy of a seeded SQLite file to work on (a stale WAL of an earlier copy removed first). */
export function copySqlite(seed: { path: string }, to: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${to}${suffix}`, { force: true })
  copyFileSync(seed.path, to)
}

/**
 * The seeded PostgreSQL template database of `plan` in the cached cluster, from the cache
 * (caught up) or seeded now.
 */
export async function postgresSeed(
  cluster: CachedCluster,
  plan: SeedPlan
): Promise<Seed & { database: string }> {
  const key = cacheKey(plan)
  const database = `seed_${key}`
  const metaDir = join(CACHE, 'postgres-seeds')
  const metaPath = join(metaDir, `${key}.json`)
  const scratch = `schema_${process.pid}`
  await cluster.admin(`DROP DATABASE IF EXISTS ${scratch}`)
  await cluster.admin(`CREATE DATABASE ${scratch}`)
  let want: Schema
  try {
    await migrate(cluster.url(scratch))
    want = await postgresSchema(cluster.url(scratch))
  } finally {
    await cluster.admin(`DROP DATABASE IF EXISTS ${scratch}`)
  }
  const exists =
    (await cluster.admin(`SELECT 1 FROM pg_database WHERE datname = '${database}'`)).length > 0
  const cached = exists ? readSeed(metaPath) : undefined
  if (cached) {
    const url = cluster.url(database)
    const seed = await catchUp(cached, want, url, () => postgresSchema(url))
    if (seed) {
      writeFileSync(metaPath, JSON.stringify({ ...seed, cached: false }))
      return { ...seed, database }
    }
  }
  const partial = `seed_partial_${process.pid}`
  // the stale seed, and any seed a killed run left half done
  const stale = await cluster.admin(
    `SELECT datname FROM pg_database WHERE datname = '${database}' OR datname LIKE 'seed\\_partial\\_%'`
  )
  for (const row of stale) {
    const name = String(row.datname)
    await cluster.admin(`UPDATE pg_database SET datistemplate = false WHERE datname = '${name}'`)
    await cluster.admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  }
  mkdirSync(metaDir, { recursive: true })
  await checkOnce()
  process.stderr.write(`seeding PostgreSQL (once; cached in ${join(CACHE, 'postgres')})\n`)
  const seededAt = Date.now()
  const started = performance.now()
  await seedPostgres(cluster, partial, plan, seededAt, progressLog('PostgreSQL', plan, started))
  const seconds = (performance.now() - started) / 1000
  await cluster.admin(`ALTER DATABASE ${partial} RENAME TO ${database}`)
  await cluster.admin(`ALTER DATABASE ${database} WITH IS_TEMPLATE true`)
  const schema = await postgresSchema(cluster.url(database))
  const seed: Seed = { plan, seededAt, seededWith: schema, schema, seconds, cached: false }
  writeFileSync(metaPath, JSON.stringify(seed))
  return { ...seed, database }
}
