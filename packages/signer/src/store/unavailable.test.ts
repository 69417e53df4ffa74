import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { newOrder as sampleOrder } from '@fps-checkout/signer/testing'
import { describe, expect, it } from 'vitest'
import { createTestDatabase } from '../../test/postgres.js'
import { openStore } from './open.js'
import { createSqlStore } from './sql-store.js'
import { openSqlite } from './sqlite.js'
import { StoreUnavailableError, storageProblem } from './unavailable.js'

/** An order big enough to fill a small disk's pages quickly. */
const newOrder = () =>
  sampleOrder({ reason: 'A song, with a reason long enough to fill pages quickly. '.repeat(8) })
const T0 = '2030-01-01T00:00:00.000Z'

const unavailable = (engineCode: string | RegExp) =>
  expect.objectContaining({
    code: 'store_unavailable',
    status: 503,
    retryAfter: expect.any(Number),
    cause: expect.objectContaining({ code: engineCode }),
  })

describe('a store that cannot write', () => {
  it('answers StoreUnavailableError for SQLite at its page limit (SQLITE_FULL), and not for a broken rule', async () => {
    const db = openSqlite(`file:${join(mkdtempSync(join(tmpdir(), 'unavailable-')), 's.db')}`)
    const store = createSqlStore(db)
    await store.migrate()
    const order = newOrder()
    await store.insertOrder(order)
    const charge = {
      key: `charge:${order.callerReference}`,
      callerReference: order.callerReference,
      kind: 'pay',
      fpsCallerReference: order.callerReference,
      amountCents: 100,
      request: '{}',
      at: T0,
    } as const
    await store.insertOperation(charge)
    const secondCharge = { ...charge, key: 'again', fpsCallerReference: 'again' }
    await expect(store.insertOperation(secondCharge)).rejects.not.toMatchObject({
      code: 'store_unavailable',
    })

    const [pages] = await db.query('PRAGMA page_count')
    await db.query(`PRAGMA max_page_count = ${Number(pages?.page_count)}`)
    let failure: unknown
    for (let i = 0; i < 500 && failure === undefined; i++) {
      failure = await store.insertOrder(newOrder()).then(
        () => undefined,
        (error: unknown) => error
      )
    }
    expect(failure).toEqual(unavailable('SQLITE_FULL'))
    expect(await store.getOrder(order.callerReference)).toMatchObject({ status: 'created' })
    await store.close()
  })

  it('answers StoreUnavailableError for a SQLite file that cannot be opened (SQLITE_CANTOPEN)', () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'unavailable-')), 'no-such-dir', 's.db')
    let failure: unknown
    try {
      openStore(`file:${missing}`)
    } catch (error) {
      failure = error
    }
    expect(failure).toMatchObject({ code: 'store_unavailable' })
    expect((failure as Error).message).not.toContain(missing)
  })

  it('answers StoreUnavailableError for PostgreSQL in a read-only transaction (25006), and not for a broken rule', async () => {
    const url = await createTestDatabase()
    const store = openStore(url)
    await store.migrate()
    const order = newOrder()
    await store.insertOrder(order)
    await expect(
      store.insertOrder({ ...order, callerReference: `${order.callerReference}-2` }).then(() =>
        store.insertOperation({
          key: 'k',
          callerReference: 'ord_missing',
          kind: 'pay',
          fpsCallerReference: 'x',
          amountCents: 1,
          request: '{}',
          at: T0,
        })
      )
    ).rejects.not.toMatchObject({ code: 'store_unavailable' })
    // the session starts read-only, as on a standby or a database set read-only
    const readOnly = openStore(`${url}?default_transaction_read_only=on`)
    try {
      await expect(readOnly.insertOrder(newOrder())).rejects.toEqual(unavailable('25006'))
      expect(await readOnly.getOrder(order.callerReference)).toMatchObject({ status: 'created' })
    } finally {
      await readOnly.close()
      await store.close()
    }
  })
})

describe('storageProblem', () => {
  /** Errors as the drivers shape them, for codes a test cannot bring about on demand. */
  const sqlite = (code: string, rawCode: number) =>
    Object.assign(new Error('x'), { name: 'SqliteError', code, rawCode })
  const pg = (code: string) => Object.assign(new Error('x'), { name: 'PostgresError', code })
  const system = (code: string) => Object.assign(new Error('x'), { code })

  it.each([
    [sqlite('SQLITE_IOERR_WRITE', 778), 'its disk failed to read or write (SQLITE_IOERR_WRITE)'],
    [
      sqlite('SQLITE_BUSY_SNAPSHOT', 517),
      'it is locked by another connection (SQLITE_BUSY_SNAPSHOT)',
    ],
    [sqlite('SQLITE_LOCKED', 6), 'it is locked by another connection (SQLITE_LOCKED)'],
    [sqlite('SQLITE_PERM', 3), 'access to it is denied (SQLITE_PERM)'],
    [
      sqlite('UNKNOWN_SQLITE_ERROR_1544', 1544),
      'it is read-only (SQLITE_READONLY, extended code 1544)',
    ],
    [
      new Error('ConnectionFailed("Unable to open connection to local database /x/y.db: 14")'),
      'its file cannot be opened (SQLITE_CANTOPEN)',
    ],
    [pg('53100'), 'its disk is full (SQLSTATE 53100)'],
    [pg('53300'), 'the server is out of resources (SQLSTATE 53300)'],
    [pg('08006'), 'the server cannot be reached (SQLSTATE 08006)'],
    [pg('57P01'), 'the server is shutting down (SQLSTATE 57P01)'],
    [pg('57P03'), 'the server is starting up or shutting down (SQLSTATE 57P03)'],
    [pg('40P01'), 'the transaction conflicted with another (SQLSTATE 40P01)'],
    [system('ECONNREFUSED'), 'the server cannot be reached (ECONNREFUSED)'],
    [system('CONNECTION_CLOSED'), 'the server cannot be reached (CONNECTION_CLOSED)'],
    [
      new Error('The SQLite log could not be flushed to disk', { cause: system('EIO') }),
      'its disk failed to read or write (EIO)',
    ],
    [
      new AggregateError([system('ECONNREFUSED'), system('ECONNREFUSED')]),
      'the server cannot be reached (ECONNREFUSED)',
    ],
  ])('recognises %s', (error, problem) => {
    expect(storageProblem(error)).toBe(problem)
  })

  it.each([
    [sqlite('SQLITE_CONSTRAINT_UNIQUE', 2067)],
    [sqlite('SQLITE_ERROR', 1)],
    [pg('23505')],
    [pg('42P01')],
    [system('ENOENT')],
    [new TypeError('x is undefined')],
    ['SQLITE_FULL'],
  ])('leaves %s alone', (error) => {
    expect(storageProblem(error)).toBeUndefined()
  })

  it('answers 503 with Retry-After and a message that names nothing of the server', () => {
    const error = new StoreUnavailableError('its disk is full (SQLITE_FULL)')
    expect(error).toMatchObject({ status: 503, code: 'store_unavailable', retryAfter: 5 })
    expect(error.message).not.toMatch(/SQLITE|disk/)
  })
})
