import { openStore } from '@fps-checkout/signer'
import { openSqliteFile, type SqliteConnection, type SqliteStatement } from './drivers.js'
import { type SeedPlan, seedOrders } from './plan.js'
import { TABLES, type Table, type TableKey, type Value } from './rows.js'

/** Orders per transaction. */
const ORDERS_PER_COMMIT = 20_000
/** Rows per INSERT: one call into the driver costs more than SQLite's work for a row. */
const ROWS_PER_INSERT = 64

/**
 * Fills a new SQLite file with the plan's orders: the signer's own migrations first (through its
 * `openStore`), then the rows in large transactions of prepared multi-row inserts, unsynced (a
 * seed cut short is thrown away), in the WAL mode the signer keeps.
 */
export async function seedSqlite(
  path: string,
  plan: SeedPlan,
  seededAt: number,
  progress: (done: number) => void = () => {}
): Promise<void> {
  const store = openStore(`file:${path}`)
  await store.migrate()
  await store.close()
  const db = openSqliteFile(path)
  try {
    // the rows are written table by table in batches, so an order's history may come before it
    db.exec('PRAGMA foreign_keys = OFF')
    db.exec('PRAGMA synchronous = OFF')
    db.exec('PRAGMA cache_size = -1000000')
    const writers = Object.fromEntries(
      Object.entries(TABLES).map(([key, table]) => [key, new Writer(db, table)])
    ) as Record<TableKey, Writer>
    const keys = Object.keys(TABLES) as TableKey[]
    let done = 0
    db.exec('BEGIN')
    for (const rows of seedOrders(plan, seededAt)) {
      for (const key of keys) for (const row of rows[key]) writers[key].add(row)
      if (++done % ORDERS_PER_COMMIT === 0) {
        for (const key of keys) writers[key].flush()
        db.exec('COMMIT')
        progress(done)
        db.exec('BEGIN')
      }
    }
    for (const key of keys) writers[key].flush()
    db.exec('COMMIT')
    db.exec('PRAGMA wal_checkpoint(TRUNCATE)')
  } finally {
    db.close()
  }
}

/** Buffers a table's rows and inserts them `ROWS_PER_INSERT` at a time (the rest one by one). */
class Writer {
  readonly #many: SqliteStatement
  readonly #one: SqliteStatement
  #values: Value[] = []
  #rows = 0

  constructor(db: SqliteConnection, table: Table) {
    const row = `(${table.columns.map(() => '?').join(', ')})`
    const insert = `INSERT INTO ${table.name} (${table.columns.join(', ')}) VALUES `
    this.#many = db.prepare(insert + Array.from({ length: ROWS_PER_INSERT }, () => row).join(', '))
    this.#one = db.prepare(insert + row)
  }

  add(row: readonly Value[]): void {
    this.#values.push(...row)
    if (++this.#rows === ROWS_PER_INSERT) {
      this.#many.run(this.#values)
      this.#values = []
      this.#rows = 0
    }
  }

  flush(): void {
    const width = this.#values.length / Math.max(this.#rows, 1)
    for (let i = 0; i < this.#rows; i++) {
      this.#one.run(this.#values.slice(i * width, (i + 1) * width))
    }
    this.#values = []
    this.#rows = 0
  }
}
