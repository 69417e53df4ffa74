import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEFAULT_CALLER } from '@fps-checkout/sandbox'
import { openStore } from '@fps-checkout/signer'
import { Harness } from '@fps-checkout/signer/testing'
import { openSqliteFile, type SqliteConnection } from './drivers.js'
import {
  abandonedCheckoutRows,
  ITEMS,
  type OrderRows,
  type PaidOrder,
  paidOrderRows,
  type Shop,
  TABLES,
  type TableKey,
} from './rows.js'

type Row = Record<string, unknown>

/** Where a table's rows of one order are found. */
const BY_ORDER: Record<TableKey, string> = {
  orders: 'caller_reference = ?',
  history: 'caller_reference = ? ORDER BY seq',
  operations: 'caller_reference = ?',
  tokens: 'caller_reference = ?',
  notifications: 'caller_reference = ?',
  events: 'caller_reference = ? ORDER BY seq',
  attempts: 'event_id IN (SELECT id FROM order_events WHERE caller_reference = ?)',
}

/**
 * Makes one real purchase (the real signer and sandbox, the buyer walking the payment pages,
 * the IPN and the event's delivery awaited) and one checkout left on the payment pages, then
 * writes the seed's rows for the same two orders, their random parts and moments taken from the
 * real ones, into a store of their own, and compares every column of every row (the ones the
 * seed leaves to their defaults too). Throws on the first difference: the seed writes what the
 * signer writes, or it does not run.
 */
export async function checkSeedRows(): Promise<void> {
  const delivered: string[] = []
  const harness = await Harness.start({
    signer: {
      accessKeyId: DEFAULT_CALLER.accessKeyId,
      secretKey: DEFAULT_CALLER.secretKey,
      log: () => {},
      onEvent: async (event) => {
        delivered.push(event.type)
      },
    },
    callers: [{ ...DEFAULT_CALLER }],
  })
  const dir = mkdtempSync(join(tmpdir(), 'fps-bench-seed-check-'))
  let real: SqliteConnection | undefined
  let seeded: SqliteConnection | undefined
  try {
    const { item, reason, amount } = ITEMS[0]
    const idempotencyKey = 'f'.repeat(32)
    const { json } = await harness.checkout(
      { amount, reason, item },
      { 'idempotency-key': idempotencyKey }
    )
    if (!json.url) throw new Error(`the check's checkout failed: ${JSON.stringify(json)}`)
    const paid = await harness.returnWith(await harness.authorize(json.url))
    if (paid.json.order?.status !== 'success') {
      throw new Error(`the check's purchase did not succeed: ${JSON.stringify(paid.json)}`)
    }
    const left = await harness.checkout(
      { amount, reason, item },
      { 'idempotency-key': 'e'.repeat(32) }
    )
    real = openSqliteFile(join(harness.dir, 'signer.db'))
    const ref = String(paid.json.order.callerReference)
    const abandoned = String(left.json.callerReference)
    const rowsOf = (db: SqliteConnection, key: TableKey, order = ref) =>
      db.prepare(`SELECT * FROM ${TABLES[key].name} WHERE ${BY_ORDER[key]}`).all([order])
    // the handler is called before its try is recorded: wait for the record
    await until(
      () =>
        rowsOf(real!, 'notifications').length > 0 &&
        delivered.includes('order.paid') &&
        rowsOf(real!, 'attempts').length > 0 &&
        rowsOf(real!, 'events')[0]?.state === 'delivered',
      'the IPN and the order.paid delivery'
    )
    const template = Object.fromEntries(
      (Object.keys(TABLES) as TableKey[]).map((key) => [key, rowsOf(real!, key)])
    ) as Record<TableKey, Row[]>

    const path = join(dir, 'seeded.db')
    const store = openStore(`file:${path}`)
    await store.migrate()
    await store.close()
    seeded = openSqliteFile(path)
    seeded.exec('PRAGMA foreign_keys = OFF')
    const shop = shopOf(harness, template)
    write(seeded, paidOrderRows(orderOf(template), shop))
    const [order] = rowsOf(real, 'orders', abandoned)
    const [line] = rowsOf(real, 'history', abandoned)
    write(
      seeded,
      abandonedCheckoutRows(
        {
          createdMs: Date.parse(String(order?.created_at)),
          item: 0,
          callerReference: abandoned,
          idempotencyKey: String(order?.idempotency_key),
          eventId: String(line?.event_id),
          expiresMs: Date.parse(String(order?.expires_at)),
        },
        shop
      )
    )
    for (const key of Object.keys(TABLES) as TableKey[]) {
      compare(TABLES[key].name, template[key], rowsOf(seeded, key))
      compare(TABLES[key].name, rowsOf(real, key, abandoned), rowsOf(seeded, key, abandoned))
    }
  } finally {
    real?.close()
    seeded?.close()
    await harness.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The real order's random parts and moments, as the seed's generator takes them. */
function orderOf(template: Record<TableKey, Row[]>): PaidOrder {
  const [order] = template.orders
  const [created, returned, paid] = template.history
  const [operation] = template.operations
  const [token] = template.tokens
  const [notification] = template.notifications
  const [event] = template.events
  const [attempt] = template.attempts
  if (
    !order ||
    !created ||
    !returned ||
    !paid ||
    !operation ||
    !token ||
    !notification ||
    !event ||
    !attempt
  ) {
    const counts = Object.entries(template).map(([key, rows]) => `${key} ${rows.length}`)
    throw new Error(
      `the check's purchase is missing rows (${counts.join(', ')}): it is not a paid order`
    )
  }
  const ms = (value: unknown) => Date.parse(String(value))
  const ipn = JSON.parse(String(notification.payload)) as Record<string, string>
  const request = JSON.parse(String(operation.request)) as { body: string }
  const signed = new URLSearchParams(request.body).get('Timestamp')
  return {
    createdMs: ms(order.created_at),
    item: 0,
    callerReference: String(order.caller_reference),
    idempotencyKey: String(order.idempotency_key),
    tokenId: String(order.token_id),
    transactionId: String(order.transaction_id),
    requestId: String(operation.request_id),
    eventIds: [String(created.event_id), String(returned.event_id), String(paid.event_id)],
    at: {
      created: ms(order.created_at),
      expires: ms(order.expires_at),
      returned: ms(returned.at),
      paySigned: ms(signed),
      payStored: ms(operation.created_at),
      transaction: Number(ipn.transactionDate) * 1000,
      payRecorded: ms(operation.updated_at),
      paid: ms(paid.at),
      ipnReceived: ms(notification.received_at),
      tokenStored: ms(token.created_at),
      deliverSince: ms(event.deliver_since),
      tryStarted: ms(attempt.at),
      delivered: ms(event.delivered_at),
    },
    ipnSignature: String(ipn.signature),
    webhook: {
      statusCode: attempt.status_code === null ? null : Number(attempt.status_code),
      durationMs: Number(attempt.duration_ms),
    },
  }
}

/** The harness's shop: its URLs and the certificate its sandbox signs IPNs with. */
function shopOf(harness: Harness, template: Record<TableKey, Row[]>): Shop {
  const ipn = JSON.parse(String(template.notifications[0]?.payload)) as Record<string, string>
  const options = harness.signerOptions
  return {
    accessKeyId: DEFAULT_CALLER.accessKeyId,
    secretKey: DEFAULT_CALLER.secretKey,
    returnUrl: String(options.returnUrl),
    ipnUrl: String(options.ipnUrl),
    apiUrl: String(options.apiUrl),
    cbuiUrl: `${String(options.apiUrl)}cobranded-ui/actions/start`,
    recipient: { name: String(ipn.recipientName), email: String(ipn.recipientEmail) },
    certificateUrl: String(ipn.certificateUrl),
  }
}

function write(db: SqliteConnection, rows: OrderRows): void {
  for (const key of Object.keys(TABLES) as TableKey[]) {
    const { name, columns } = TABLES[key]
    const insert = db.prepare(
      `INSERT INTO ${name} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`
    )
    for (const row of rows[key]) insert.run(row)
  }
}

function compare(table: string, real: Row[], seeded: Row[]): void {
  if (real.length !== seeded.length) {
    throw new Error(
      `seed check: ${table} has ${seeded.length} rows for the order, the signer wrote ${real.length}`
    )
  }
  real.forEach((row, i) => {
    for (const [column, value] of Object.entries(row)) {
      if (column === '_metadata') continue
      const written = seeded[i]?.[column]
      if (written !== value) {
        throw new Error(
          `seed check: ${table}.${column} is ${JSON.stringify(written)}, the signer wrote ${JSON.stringify(value)}`
        )
      }
    }
  })
}

async function until(done: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`seed check: no ${what} within 10 s`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
