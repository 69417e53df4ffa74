import { createHash, createHmac, randomBytes } from 'node:crypto'
import { buildCbuiUrl, canonicalQuery, FpsClient } from '@fps-checkout/protocol'
import { DEFAULT_CALLER } from '@fps-checkout/sandbox'

/** Who the seeded orders belong to: the caller's key, its URLs, its account at FPS. */
export interface Shop {
  accessKeyId: string
  secretKey: string
  returnUrl: string
  ipnUrl: string
  apiUrl: string
  cbuiUrl: string
  /** The caller's account, as FPS's IPNs name it. */
  recipient: { name: string; email: string }
  /** Where FPS's IPNs said their certificate was. */
  certificateUrl: string
}

/**
 * The shop the seeded stores belong to, and every bench signer that opens them: the sandbox's
 * development caller, so the real sandbox the growth bench starts knows its key.
 */
export const SHOP: Shop = {
  accessKeyId: DEFAULT_CALLER.accessKeyId,
  secretKey: DEFAULT_CALLER.secretKey,
  returnUrl: 'https://shop.example/fps/return',
  ipnUrl: 'https://shop.example/fps/ipn',
  /** Where the sandbox listened when the seeded orders were made (its default port). */
  apiUrl: 'http://127.0.0.1:8910/',
  cbuiUrl: 'http://127.0.0.1:8910/cobranded-ui/actions/start',
  /** The sandbox account of the development caller, as its IPNs name it. */
  recipient: { name: 'Sandbox Merchant', email: 'sandbox-merchant@merchant.example' },
  certificateUrl: 'http://127.0.0.1:8910/certs/389ba156b919/PKICert.pem',
}

/** The catalog the seeded orders were priced by; the growth bench's signers use it too. */
export const ITEMS = [
  { item: 'now-and-forever', reason: 'Now and Forever - Richard Marx', amount: '0.90' },
  { item: 'right-here-waiting', reason: 'Right Here Waiting - Richard Marx', amount: '0.99' },
  { item: 'hazard', reason: 'Hazard - Richard Marx', amount: '1.29' },
  { item: 'hold-on-to-the-nights', reason: 'Hold On to the Nights - Richard Marx', amount: '0.50' },
] as const

/** The catalog of {@link ITEMS} as the signer's `catalog` setting takes it. */
export const CATALOG = {
  items: Object.fromEntries(ITEMS.map(({ item, amount }) => [item, { price: amount }])),
}

/** The buyer of every seeded purchase: the sandbox's test buyer, paying from her balance. */
const BUYER = { name: 'Alice Allmethods', email: 'alice@buyer.example' }

/** A column value as the store writes it: text, an integer, or NULL. */
export type Value = string | number | null

/** A table and the columns the seed writes (any column a later migration adds keeps its default). */
export interface Table {
  name: string
  columns: readonly string[]
}

/** Every table a paid order has rows in, in the order their foreign keys need. */
export const TABLES = {
  orders: {
    name: 'orders',
    columns: [
      'caller_reference',
      'status',
      'amount',
      'amount_cents',
      'currency_code',
      'reason',
      'item',
      'logo',
      'capture',
      'checkout_url',
      'idempotency_key',
      'request_hash',
      'token_id',
      'transaction_id',
      'refunded_cents',
      'history_count',
      'last_event',
      'created_at',
      'updated_at',
      'expires_at',
    ],
  },
  history: {
    name: 'order_history',
    columns: ['event_id', 'caller_reference', 'seq', 'at', 'status', 'note'],
  },
  operations: {
    name: 'operations',
    columns: [
      'key',
      'caller_reference',
      'kind',
      'fps_caller_reference',
      'amount_cents',
      'request',
      'state',
      'attempts',
      'lease_until',
      'transaction_id',
      'transaction_status',
      'request_id',
      'error_code',
      'error_message',
      'created_at',
      'updated_at',
    ],
  },
  tokens: {
    name: 'access_tokens',
    columns: ['token_hash', 'caller_reference', 'created_at'],
  },
  notifications: {
    name: 'notifications',
    columns: ['dedupe_key', 'caller_reference', 'received_at', 'payload'],
  },
  events: {
    name: 'order_events',
    columns: [
      'id',
      'caller_reference',
      'seq',
      'type',
      'at',
      'status',
      'amount',
      'currency_code',
      'reason',
      'item',
      'transaction_id',
      'refunded_cents',
      'created_at',
      'refund_cents',
      'refund_full',
      'state',
      'attempts',
      'failures',
      'next_attempt_at',
      'deliver_since',
      'lease_until',
      'delivered_at',
    ],
  },
  attempts: {
    name: 'event_attempts',
    columns: ['event_id', 'attempt', 'at', 'duration_ms', 'status_code', 'error'],
  },
} as const satisfies Record<string, Table>

export type TableKey = keyof typeof TABLES

/** One order's rows, table by table, each row in its table's column order. */
export type OrderRows = Record<TableKey, Value[][]>

/** What varies from one paid order to the next; the rest follows from the shop and the item. */
export interface PaidOrder {
  createdMs: number
  /** Index into {@link ITEMS}. */
  item: number
  callerReference: string
  idempotencyKey: string
  tokenId: string
  transactionId: string
  requestId: string
  /** The three history lines' event ids: the insert's, the return's, the Pay's. */
  eventIds: readonly [string, string, string]
  /** When each step of the purchase happened (epoch ms). */
  at: Timeline
  /** The IPN's RSA signature (random bytes of its length: nothing reads a stored one back). */
  ipnSignature: string
  /** The webhook's one try: its HTTP status (none for an `onEvent` handler) and duration. */
  webhook: { statusCode: number | null; durationMs: number }
}

/** A purchase's moments, epoch ms. */
export interface Timeline {
  created: number
  /** The checkout's expiry, an hour on (the signer reads its clock again for it). */
  expires: number
  /** The return's transition to pending. */
  returned: number
  /** The Pay signed, then stored. */
  paySigned: number
  payStored: number
  /** FPS's transaction, as its IPN dates it. */
  transaction: number
  payRecorded: number
  /** The order moved to success. */
  paid: number
  ipnReceived: number
  tokenStored: number
  /** The webhook's first try claimed, then started, then done. */
  deliverSince: number
  tryStarted: number
  delivered: number
}

/** An abandoned checkout: the buyer left on the payment pages and never came back. */
export interface AbandonedCheckout {
  createdMs: number
  item: number
  callerReference: string
  idempotencyKey: string
  eventId: string
  /** Its expiry, an hour after it was created unless given. */
  expiresMs?: number
}

const CHECKOUT_TTL_MS = 60 * 60_000

/** Random bytes, drawn from a large buffer refilled as it runs out (a million orders need ~200 MB). */
class Entropy {
  #pool = Buffer.alloc(0)
  #at = 0

  bytes(count: number): Buffer {
    if (this.#at + count > this.#pool.length) {
      this.#pool = randomBytes(1 << 20)
      this.#at = 0
    }
    const slice = this.#pool.subarray(this.#at, this.#at + count)
    this.#at += count
    return slice
  }

  /** Upper-case alphanumerics, the sandbox's token and transaction ids. */
  alphanumeric(length: number): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
    let id = ''
    for (const byte of this.bytes(length)) id += alphabet[byte % alphabet.length]
    return id
  }

  uuid(): string {
    const hex = this.bytes(16).toString('hex')
    const variant = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16)
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
  }
}

/** Ids in the signer's formats (`packages/signer/src/ids.ts`), at a given moment. */
export class Ids {
  readonly entropy = new Entropy()
  #lastMs = 0
  #counter = 0

  /** `timeOrderedId`: 48 bits of milliseconds, then 72 random bits, base64url. */
  timeOrdered(prefix: string, ms: number): string {
    const id = Buffer.alloc(15)
    id.writeUIntBE(ms, 0, 6)
    this.entropy.bytes(9).copy(id, 6)
    return `${prefix}${id.toString('base64url')}`
  }

  /** `sortableId`: hex milliseconds, a counter within the millisecond, 64 random bits. */
  sortable(prefix: string, ms: number): string {
    if (ms > this.#lastMs) {
      this.#lastMs = ms
      this.#counter = 0
    } else {
      this.#counter += 1
    }
    const time = ms.toString(16).padStart(12, '0')
    const sequence = this.#counter.toString(16).padStart(6, '0')
    return `${prefix}${time}${sequence}${this.entropy.bytes(8).toString('hex')}`
  }

  /** A purchase: the buyer back from the payment pages 20 s to 3 min after the checkout. */
  paidOrder(createdMs: number, item: number): PaidOrder {
    const returned = createdMs + 20_000 + (this.entropy.bytes(2).readUInt16BE(0) % 160_000)
    const at: Timeline = {
      created: createdMs,
      expires: createdMs + CHECKOUT_TTL_MS,
      returned,
      paySigned: returned + AFTER_RETURN.payStored,
      payStored: returned + AFTER_RETURN.payStored,
      transaction: returned + AFTER_RETURN.transaction,
      payRecorded: returned + AFTER_RETURN.payRecorded,
      paid: returned + AFTER_RETURN.paid,
      ipnReceived: returned + AFTER_RETURN.ipnReceived,
      tokenStored: returned + AFTER_RETURN.tokenStored,
      deliverSince: returned + AFTER_RETURN.deliverSince,
      tryStarted: returned + AFTER_RETURN.deliverSince,
      delivered: returned + AFTER_RETURN.delivered,
    }
    return {
      createdMs,
      item,
      callerReference: this.timeOrdered('ord_', createdMs),
      idempotencyKey: this.entropy.bytes(16).toString('hex'),
      tokenId: this.entropy.alphanumeric(64),
      transactionId: this.entropy.alphanumeric(35),
      requestId: `${this.entropy.uuid()}:0`,
      eventIds: [
        this.timeOrdered('evt_', createdMs),
        this.sortable('evt_', at.returned),
        this.sortable('evt_', at.paid),
      ],
      at,
      ipnSignature: this.entropy.bytes(256).toString('base64'),
      webhook: { statusCode: 200, durationMs: AFTER_RETURN.delivered - AFTER_RETURN.deliverSince },
    }
  }

  abandonedCheckout(createdMs: number, item: number): AbandonedCheckout {
    return {
      createdMs,
      item,
      callerReference: this.timeOrdered('ord_', createdMs),
      idempotencyKey: this.entropy.bytes(16).toString('hex'),
      eventId: this.timeOrdered('evt_', createdMs),
    }
  }
}

/** A purchase's steps after the buyer's return, in ms, as a local purchase timed them. */
const AFTER_RETURN = {
  payStored: 1,
  transaction: 5,
  payRecorded: 19,
  paid: 36,
  ipnReceived: 38,
  tokenStored: 40,
  deliverSince: 117,
  delivered: 159,
} as const

const iso = (ms: number) => new Date(ms).toISOString()

/** The `Idempotency-Key` body digest of `payments/checkout.ts`, per item. */
const REQUEST_HASHES = ITEMS.map(({ amount, reason, item }) =>
  createHash('sha256')
    .update(JSON.stringify([amount, 'USD', reason, null, item]))
    .digest('hex')
)

/** The order's access token's hash as the return stores it (`http/tokens.ts`). */
export function accessTokenHash(secretKey: string, callerReference: string): string {
  const token = createHmac('sha256', secretKey)
    .update(`fps-checkout order access\n${callerReference}`)
    .digest('base64url')
  return createHash('sha256').update(token).digest('hex')
}

/** The signed SingleUse CBUI URL the checkout stored, as `payments/checkout.ts` builds it. */
function checkoutUrl(shop: Shop, callerReference: string, item: number): string {
  const { amount, reason } = ITEMS[item] ?? ITEMS[0]
  return buildCbuiUrl({
    endpoint: shop.cbuiUrl,
    accessKeyId: shop.accessKeyId,
    secretKey: shop.secretKey,
    request: {
      pipelineName: 'SingleUse',
      callerReference,
      returnURL: shop.returnUrl,
      transactionAmount: amount,
      currencyCode: 'USD',
      paymentReason: reason,
    },
  })
}

/** The moment the Pay being signed was signed. */
let paySignedAt = 0
/** A shop's FPS client, signing each Pay at the moment it was stored. */
const clients = new Map<Shop, FpsClient>()

/** The stored Pay: the request `payments/operations/requests.ts` signs, as JSON. */
function payRequest(shop: Shop, order: PaidOrder): string {
  const { amount, reason } = ITEMS[order.item] ?? ITEMS[0]
  let client = clients.get(shop)
  if (!client) {
    client = new FpsClient({
      accessKeyId: shop.accessKeyId,
      secretKey: shop.secretKey,
      endpoint: shop.apiUrl,
      now: () => new Date(paySignedAt),
    })
    clients.set(shop, client)
  }
  paySignedAt = order.at.paySigned
  return JSON.stringify(
    client.prepare('Pay', {
      SenderTokenId: order.tokenId,
      TransactionAmount: { Value: amount, CurrencyCode: 'USD' },
      CallerReference: order.callerReference,
      CallerDescription: Array.from(reason).slice(0, 160).join(''),
      OverrideIPNURL: shop.ipnUrl,
    })
  )
}

/**
 * The sandbox's IPN for the Pay, as the signer records it: its parameters as JSON, keyed by the
 * SHA-256 of their canonical query without the signature (`payments/notifications.ts`).
 */
function ipn(shop: Shop, order: PaidOrder): { key: string; payload: string } {
  const { amount, reason } = ITEMS[order.item] ?? ITEMS[0]
  const params = {
    notificationType: 'TransactionStatus',
    transactionId: order.transactionId,
    transactionDate: String(Math.floor(order.at.transaction / 1000)),
    transactionStatus: 'SUCCESS',
    statusCode: 'Success',
    statusMessage: 'The transaction was successful and the payment instrument was charged.',
    operation: 'PAY',
    callerReference: order.callerReference,
    transactionAmount: `USD ${amount}`,
    paymentMethod: 'ABT',
    paymentReason: reason,
    buyerName: BUYER.name,
    buyerEmail: BUYER.email,
    recipientName: shop.recipient.name,
    recipientEmail: shop.recipient.email,
    signatureMethod: 'RSA-SHA1',
    signatureVersion: '2',
    certificateUrl: shop.certificateUrl,
  }
  return {
    key: createHash('sha256').update(canonicalQuery(params)).digest('hex'),
    payload: JSON.stringify({ ...params, signature: order.ipnSignature }),
  }
}

/**
 * The rows of a purchase paid from the buyer's balance and told to the merchant's webhook: the
 * order, its three history lines, its Pay, the access token the return stored, the IPN, the
 * `order.paid` event delivered on the first try.
 */
export function paidOrderRows(order: PaidOrder, shop: Shop = SHOP): OrderRows {
  const { amount, reason, item } = ITEMS[order.item] ?? ITEMS[0]
  const cents = Math.round(Number(amount) * 100)
  const ref = order.callerReference
  const { at } = order
  const [checkoutEvent, returnEvent, payEvent] = order.eventIds
  const notification = ipn(shop, order)
  return {
    orders: [
      [
        ref,
        'success',
        amount,
        cents,
        'USD',
        reason,
        item,
        null,
        'pay',
        checkoutUrl(shop, ref, order.item),
        order.idempotencyKey,
        REQUEST_HASHES[order.item] ?? null,
        order.tokenId,
        order.transactionId,
        0,
        3,
        payEvent,
        iso(at.created),
        iso(at.paid),
        iso(at.expires),
      ],
    ],
    history: [
      [checkoutEvent, ref, 1, iso(at.created), 'created', 'Checkout started.'],
      [
        returnEvent,
        ref,
        2,
        iso(at.returned),
        'pending',
        'Return SA: Authorized with the Amazon Payments balance. Token confirmed with GetTokenByCaller.',
      ],
      [payEvent, ref, 3, iso(at.paid), 'success', `Pay: Success (${amount}).`],
    ],
    operations: [
      [
        `charge:${ref}`,
        ref,
        'pay',
        ref,
        cents,
        payRequest(shop, order),
        'done',
        1,
        null,
        order.transactionId,
        'Success',
        order.requestId,
        null,
        null,
        iso(at.payStored),
        iso(at.payRecorded),
      ],
    ],
    tokens: [[accessTokenHash(shop.secretKey, ref), ref, iso(at.tokenStored)]],
    notifications: [[notification.key, ref, iso(at.ipnReceived), notification.payload]],
    events: [
      [
        payEvent,
        ref,
        3,
        'order.paid',
        iso(at.paid),
        'success',
        amount,
        'USD',
        reason,
        item,
        order.transactionId,
        0,
        iso(at.created),
        null,
        null,
        'delivered',
        1,
        0,
        iso(at.paid),
        iso(at.deliverSince),
        null,
        iso(at.delivered),
      ],
    ],
    attempts: [
      [payEvent, 1, iso(at.tryStarted), order.webhook.durationMs, order.webhook.statusCode, null],
    ],
  }
}

/** The rows of a checkout whose buyer never came back: the order and its first history line. */
export function abandonedCheckoutRows(order: AbandonedCheckout, shop: Shop = SHOP): OrderRows {
  const { amount, reason, item } = ITEMS[order.item] ?? ITEMS[0]
  const ref = order.callerReference
  const created = iso(order.createdMs)
  return {
    orders: [
      [
        ref,
        'created',
        amount,
        Math.round(Number(amount) * 100),
        'USD',
        reason,
        item,
        null,
        'pay',
        checkoutUrl(shop, ref, order.item),
        order.idempotencyKey,
        REQUEST_HASHES[order.item] ?? null,
        null,
        null,
        0,
        1,
        order.eventId,
        created,
        created,
        iso(order.expiresMs ?? order.createdMs + CHECKOUT_TTL_MS),
      ],
    ],
    history: [[order.eventId, ref, 1, created, 'created', 'Checkout started.']],
    operations: [],
    tokens: [],
    notifications: [],
    events: [],
    attempts: [],
  }
}
