import { type Db, sql } from './db.js'

/**
 * The schema, one migration per entry, in the SQL SQLite and PostgreSQL share (text and integer
 * columns only). Every statement is idempotent, so two processes starting together both succeed.
 */
const MIGRATIONS: readonly (readonly string[])[] = [
  [
    `CREATE TABLE IF NOT EXISTS orders (
      caller_reference TEXT PRIMARY KEY,
      status TEXT NOT NULL,
      amount TEXT NOT NULL,
      amount_cents INTEGER NOT NULL,
      currency_code TEXT NOT NULL,
      reason TEXT NOT NULL,
      item TEXT,
      logo TEXT,
      capture TEXT NOT NULL,
      checkout_url TEXT NOT NULL,
      idempotency_key TEXT UNIQUE,
      request_hash TEXT,
      token_id TEXT,
      transaction_id TEXT,
      refunded_cents INTEGER NOT NULL DEFAULT 0,
      history_count INTEGER NOT NULL DEFAULT 0,
      last_event TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      expires_at TEXT NOT NULL,
      CHECK (refunded_cents >= 0 AND refunded_cents <= amount_cents)
    )`,
    'CREATE INDEX IF NOT EXISTS orders_by_status ON orders (status, updated_at)',
    `CREATE TABLE IF NOT EXISTS order_history (
      event_id TEXT PRIMARY KEY,
      caller_reference TEXT NOT NULL REFERENCES orders (caller_reference),
      seq INTEGER NOT NULL,
      at TEXT NOT NULL,
      status TEXT NOT NULL,
      note TEXT NOT NULL,
      UNIQUE (caller_reference, seq)
    )`,
    `CREATE TABLE IF NOT EXISTS access_tokens (
      token_hash TEXT PRIMARY KEY,
      caller_reference TEXT NOT NULL REFERENCES orders (caller_reference),
      created_at TEXT NOT NULL
    )`,
    `CREATE TABLE IF NOT EXISTS operations (
      key TEXT PRIMARY KEY,
      caller_reference TEXT NOT NULL REFERENCES orders (caller_reference),
      kind TEXT NOT NULL,
      fps_caller_reference TEXT UNIQUE,
      amount_cents INTEGER,
      request TEXT NOT NULL,
      state TEXT NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      lease_until TEXT,
      transaction_id TEXT,
      transaction_status TEXT,
      request_id TEXT,
      error_code TEXT,
      error_message TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    )`,
    `CREATE UNIQUE INDEX IF NOT EXISTS operations_one_charge_per_order
      ON operations (caller_reference) WHERE kind IN ('pay', 'reserve')`,
    'CREATE INDEX IF NOT EXISTS operations_by_order ON operations (caller_reference)',
    'CREATE INDEX IF NOT EXISTS operations_by_transaction ON operations (transaction_id)',
    'CREATE INDEX IF NOT EXISTS operations_by_state ON operations (state, lease_until)',
    `CREATE TABLE IF NOT EXISTS notifications (
      dedupe_key TEXT PRIMARY KEY,
      caller_reference TEXT,
      received_at TEXT NOT NULL,
      payload TEXT NOT NULL
    )`,
  ],
  // one row, rewritten by each readiness probe
  ['CREATE TABLE IF NOT EXISTS readiness (id INTEGER PRIMARY KEY, checked_at TEXT NOT NULL)'],
]

/** Applies the migrations a database has not seen yet, each in its own transaction. */
export async function migrate(db: Db, at: string): Promise<void> {
  await db.batch([
    ...(db.migrationLock ? [db.migrationLock] : []),
    sql(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)'
    ),
  ])
  const rows = await db.query('SELECT version FROM schema_migrations')
  const applied = new Set(rows.map((row) => Number(row.version)))
  for (const [index, statements] of MIGRATIONS.entries()) {
    const version = index + 1
    if (applied.has(version)) continue
    await db.batch([
      ...(db.migrationLock ? [db.migrationLock] : []),
      ...statements.map((statement) => sql(statement)),
      sql(
        'INSERT INTO schema_migrations (version, applied_at) VALUES (CAST(? AS INTEGER), ?) ON CONFLICT DO NOTHING',
        version,
        at
      ),
    ])
  }
}
