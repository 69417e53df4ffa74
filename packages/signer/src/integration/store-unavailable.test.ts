import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startPostgres } from '@fps-checkout/signer/testing'
import Database from 'libsql'
import postgres from 'postgres'
import { afterEach, describe, expect, inject, it } from 'vitest'
import { canMount, fillDisk, type TestMount, tmpfs } from '../../test/mounts.js'
import { createTestDatabase } from '../../test/postgres.js'
import { createSigner, type Signer, type SignerOptions } from '../app.js'
import { createSqlStore } from '../store/sql-store.js'
import { openSqlite } from '../store/sqlite.js'

const settings: SignerOptions = {
  accessKeyId: 'AKIASTORETEST',
  secretKey: 'store-unavailable-secret',
  apiUrl: 'http://127.0.0.1:9/',
  returnUrl: 'https://shop.example/return',
  checkoutRateLimit: { limit: 100_000, windowMs: 60_000 },
  log: () => undefined,
}

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function started(options: Partial<SignerOptions>): Promise<Signer> {
  const signer = createSigner({ ...settings, ...options })
  cleanups.push(() => signer.close())
  await signer.ready
  return signer
}

const sqliteFile = (dir = mkdtempSync(join(tmpdir(), 'store-unavailable-'))) =>
  join(dir, 'signer.db')

const checkout = (signer: Signer) =>
  signer.app.request('/checkout', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ amount: '1.00', reason: 'A song' }),
  })

/** A retriable 503 that tells the client nothing about the server's files or engine. */
async function expectUnavailable(response: Response): Promise<void> {
  const body = await response.text()
  expect({ status: response.status, body: JSON.parse(body) }).toEqual({
    status: 503,
    body: { error: { code: 'store_unavailable', message: expect.any(String) } },
  })
  expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0)
  expect(body).not.toMatch(/sqlite|postgres|\/tmp|signer\.db|at .*\.ts/i)
}

/** The store is down but the process is not: liveness stays 200. */
async function expectAlive(signer: Signer): Promise<void> {
  const response = await signer.app.request('/healthz')
  expect({ status: response.status, body: await response.json() }).toEqual({
    status: 200,
    body: { ok: true },
  })
}

async function expectReady(signer: Signer): Promise<void> {
  const response = await signer.app.request('/readyz')
  expect({ status: response.status, body: await response.json() }).toEqual({
    status: 200,
    body: { ok: true },
  })
}

/** Polls until `check` passes: a PostgreSQL pool needs a try or two to drop dead connections. */
async function eventually(check: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await check()
    } catch (error) {
      if (attempt >= 5) throw error
    }
  }
}

describe('a signer whose SQLite store stops taking writes', () => {
  it('answers 503 store_unavailable on /readyz and POST /checkout while another connection holds the write lock (SQLITE_BUSY), and is ready again once it lets go', async () => {
    const path = sqliteFile()
    const signer = await started({ databaseUrl: `file:${path}` })
    await expectReady(signer)
    expect((await checkout(signer)).status).toBe(200)

    const holder = new Database(path)
    cleanups.push(() => holder.close())
    holder.exec('BEGIN EXCLUSIVE')
    await expectUnavailable(await signer.app.request('/readyz'))
    await expectUnavailable(await checkout(signer))
    await expectAlive(signer)

    holder.exec('ROLLBACK')
    await expectReady(signer)
    expect((await checkout(signer)).status).toBe(200)
  }, 30_000)

  it('answers POST /checkout with 503 store_unavailable, not 500, once the file reaches its page limit (SQLITE_FULL)', async () => {
    const db = openSqlite(`file:${sqliteFile()}`)
    const signer = await started({ store: createSqlStore(db) })
    const [pages] = await db.query('PRAGMA page_count')
    await db.query(`PRAGMA max_page_count = ${Number(pages?.page_count)}`)
    let refused: Response | undefined
    for (let i = 0; i < 500 && !refused; i++) {
      const response = await checkout(signer)
      if (response.status !== 200) refused = response
    }
    expect(refused).toBeDefined()
    await expectUnavailable(refused!)
    await expectAlive(signer)
  })

  it.runIf(canMount())(
    'answers 503 store_unavailable on /readyz and POST /checkout while its disk is full (a tmpfs), and is ready again once space is freed',
    async () => {
      let disk: TestMount | undefined = tmpfs(2 * 1024 * 1024)
      cleanups.push(() => disk?.remove())
      const signer = await started({ databaseUrl: `file:${join(disk.dir, 'signer.db')}` })
      expect((await checkout(signer)).status).toBe(200)

      const free = fillDisk(disk.dir)
      await expectUnavailable(await signer.app.request('/readyz'))
      await expectUnavailable(await checkout(signer))
      await expectAlive(signer)

      free()
      await expectReady(signer)
      expect((await checkout(signer)).status).toBe(200)
      await signer.close()
      disk.remove()
      disk = undefined
    }
  )
})

describe('a signer whose PostgreSQL store stops taking writes', () => {
  it('answers 503 store_unavailable on /readyz and POST /checkout once the server is stopped', async () => {
    const cluster = await startPostgres()
    cleanups.push(() => cluster.stop())
    const signer = await started({ databaseUrl: cluster.url })
    await expectReady(signer)
    expect((await checkout(signer)).status).toBe(200)

    await cluster.stop()
    await expectUnavailable(await signer.app.request('/readyz'))
    await expectUnavailable(await checkout(signer))
    await expectAlive(signer)
  }, 30_000)

  it('answers 503 store_unavailable on /readyz and POST /checkout once the database is read-only, and is ready again after', async () => {
    const url = await createTestDatabase()
    const name = new URL(url).pathname.slice(1)
    const admin = postgres(inject('postgresUrl'), { max: 1, onnotice: () => undefined })
    cleanups.push(() => admin.end())
    /** Sets the database's default, and ends its sessions so the signer's next ones take it. */
    const readOnly = async (on: boolean) => {
      await admin.unsafe(
        `ALTER DATABASE ${name} SET default_transaction_read_only = ${on ? 'on' : 'off'}`
      )
      await admin.unsafe(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`
      )
    }
    const signer = await started({ databaseUrl: url })
    expect((await checkout(signer)).status).toBe(200)

    await readOnly(true)
    await eventually(async () => expectUnavailable(await signer.app.request('/readyz')))
    await expectUnavailable(await signer.app.request('/readyz'))
    await expectUnavailable(await checkout(signer))
    await expectAlive(signer)

    await readOnly(false)
    await eventually(() => expectReady(signer))
    expect((await checkout(signer)).status).toBe(200)
  })
})
