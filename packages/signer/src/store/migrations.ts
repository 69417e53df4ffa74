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
  // the outbox: each change of an order's state writes its event, with the order as it left it
  // and its delivery, in the change's transaction (sql-events.ts)
  [
    `CREATE TABLE IF NOT EXISTS order_events (
      id TEXT PRIMARY KEY,
      caller_reference TEXT NOT NULL REFERENCES orders (caller_reference),
      seq INTEGER NOT NULL,
      type TEXT NOT NULL,
      at TEXT NOT NULL,
      status TEXT NOT NULL,
      amount TEXT NOT NULL,
      currency_code TEXT NOT NULL,
      reason TEXT NOT NULL,
      item TEXT,
      transaction_id TEXT,
      refunded_cents INTEGER NOT NULL,
      created_at TEXT NOT NULL,
      refund_cents INTEGER,
      refund_full INTEGER,
      state TEXT NOT NULL DEFAULT 'pending',
      attempts INTEGER NOT NULL DEFAULT 0,
      failures INTEGER NOT NULL DEFAULT 0,
      next_attempt_at TEXT NOT NULL,
      deliver_since TEXT,
      lease_until TEXT,
      delivered_at TEXT,
      UNIQUE (caller_reference, seq)
    )`,
    'CREATE INDEX IF NOT EXISTS order_events_due ON order_events (state, next_attempt_at)',
    'CREATE INDEX IF NOT EXISTS order_events_by_type ON order_events (type, id)',
    `CREATE TABLE IF NOT EXISTS event_attempts (
      event_id TEXT NOT NULL REFERENCES order_events (id),
      attempt INTEGER NOT NULL,
      at TEXT NOT NULL,
      duration_ms INTEGER NOT NULL,
      status_code INTEGER,
      error TEXT,
      PRIMARY KEY (event_id, attempt)
    )`,
    // the refunds whose success has moved their order, each once
    `CREATE TABLE IF NOT EXISTS applied_refunds (
      operation_key TEXT PRIMARY KEY REFERENCES operations (key),
      caller_reference TEXT NOT NULL,
      amount_cents INTEGER NOT NULL,
      event_id TEXT NOT NULL
    )`,
    'CREATE INDEX IF NOT EXISTS applied_refunds_by_event ON applied_refunds (event_id)',
    'CREATE INDEX IF NOT EXISTS applied_refunds_by_order ON applied_refunds (caller_reference)',
    // refunds applied before there was an outbox are not applied again
    `INSERT INTO applied_refunds (operation_key, caller_reference, amount_cents, event_id)
     SELECT key, caller_reference, amount_cents, 'applied before events' FROM operations
     WHERE kind = 'refund' AND transaction_status = 'Success' AND amount_cents IS NOT NULL
     ON CONFLICT DO NOTHING`,
  ],
  // a buyer's refund requests, one per order, for the merchant (or the refund window) to decide
  // (sql-refund-requests.ts)
  [
    `CREATE TABLE IF NOT EXISTS refund_requests (
      id TEXT PRIMARY KEY,
      caller_reference TEXT NOT NULL UNIQUE REFERENCES orders (caller_reference),
      amount_cents INTEGER NOT NULL,
      currency_code TEXT NOT NULL,
      reason TEXT,
      status TEXT NOT NULL,
      decided_by TEXT,
      note TEXT,
      created_at TEXT NOT NULL,
      decided_at TEXT
    )`,
    'CREATE INDEX IF NOT EXISTS refund_requests_by_status ON refund_requests (status, created_at)',
  ],
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
