import { type Db, sql } from './db.js'

/**
 * The schema, one migration per entry, in the SQL SQLite and PostgreSQL share (text and integer
 * columns only). Each runs in one transaction that first claims its version, so of two processes
 * starting together one applies it and the other finds it applied.
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
  // subscriptions to the catalog's plans and their schedule (sql-subscriptions.ts); their events
  // go through the outbox on the order that started them, with the subscription as it then stood
  [
    `CREATE TABLE IF NOT EXISTS subscriptions (
      caller_reference TEXT PRIMARY KEY REFERENCES orders (caller_reference),
      plan TEXT NOT NULL,
      every TEXT NOT NULL,
      amount TEXT NOT NULL,
      amount_cents INTEGER NOT NULL,
      currency_code TEXT NOT NULL,
      token_id TEXT NOT NULL,
      status TEXT NOT NULL,
      period INTEGER NOT NULL,
      attempt INTEGER NOT NULL,
      due_at TEXT NOT NULL,
      anchor_at TEXT NOT NULL,
      ends_at TEXT,
      charged_periods INTEGER NOT NULL DEFAULT 0,
      last_event TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    )`,
    'CREATE INDEX IF NOT EXISTS subscriptions_due ON subscriptions (status, due_at)',
    'CREATE INDEX IF NOT EXISTS subscriptions_by_token ON subscriptions (token_id)',
    'ALTER TABLE order_events ADD COLUMN subscription TEXT',
    // a later period's order names the subscription it charges for
    'ALTER TABLE orders ADD COLUMN period_of TEXT',
  ],
  // the merchant's order list by status, newest first (GET /admin/orders?status=…), reads its
  // page off this index instead of sorting every order of that status (admin_list_1m, measured
  // by bench/growth.ts)
  ['CREATE INDEX IF NOT EXISTS orders_by_status_created ON orders (status, created_at)'],
  // buyers' allowances (FPS MultiUse tokens) for one-click purchases, each held by the browser
  // that started its authorization (sql-allowances.ts); what a token has spent is summed over
  // the orders charged with it
  [
    `CREATE TABLE IF NOT EXISTS allowances (
      caller_reference TEXT PRIMARY KEY REFERENCES orders (caller_reference),
      allowance TEXT NOT NULL,
      holder_hash TEXT NOT NULL,
      token_id TEXT UNIQUE,
      limit_cents INTEGER NOT NULL,
      currency_code TEXT NOT NULL,
      status TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    )`,
    'CREATE INDEX IF NOT EXISTS allowances_by_holder ON allowances (holder_hash, allowance, status)',
    'CREATE INDEX IF NOT EXISTS orders_by_token ON orders (token_id)',
  ],
  // a plan's free trial: until it ends the subscription charges nothing, and its sign-up order
  // only authorized (payments/subscriptions.ts)
  ['ALTER TABLE subscriptions ADD COLUMN trial_ends_at TEXT'],
  [
    // the order list of every status (GET /admin/orders, newest first) and the ledger's orders
    // of a period read their page off this index, where each page scanned and sorted every
    // order: 3 s a page at 1,000,000 orders on SQLite, whose driver blocks the signer meanwhile
    // (admin_list_all_1m and ledger_page_1m, measured by bench/growth.ts)
    'CREATE INDEX IF NOT EXISTS orders_by_created ON orders (created_at, caller_reference)',
    // the sweep reads its stale orders off orders_by_status_created, oldest first, and stops at
    // its batch, where this index made it collect and sort every stale order first; it only cost
    // every insert and every move (checkout_growth_ratio)
    'DROP INDEX IF EXISTS orders_by_status',
  ],
  // the admin list of subscriptions of one status and of refund requests of every status, newest
  // first, read their page off these, where each page sorted every row of the status (or the
  // table): 170–240 ms a page of active subscriptions at 200,000 on SQLite (list-plans.test.ts)
  [
    'CREATE INDEX IF NOT EXISTS subscriptions_by_status ON subscriptions (status, caller_reference)',
    'CREATE INDEX IF NOT EXISTS refund_requests_by_created ON refund_requests (created_at, id)',
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
  const appliedVersions = async () =>
    new Set(
      (await db.query('SELECT version FROM schema_migrations')).map((row) => Number(row.version))
    )
  const applied = await appliedVersions()
  for (const [index, statements] of MIGRATIONS.entries()) {
    const version = index + 1
    if (applied.has(version)) continue
    try {
      await db.batch([
        ...(db.migrationLock ? [db.migrationLock] : []),
        // the claim fails on a version another process applied meanwhile, rolling back its DDL
        sql(
          'INSERT INTO schema_migrations (version, applied_at) VALUES (CAST(? AS INTEGER), ?)',
          version,
          at
        ),
        ...statements.map((statement) => sql(statement)),
      ])
    } catch (error) {
      if (!(await appliedVersions()).has(version)) throw error
    }
  }
}
