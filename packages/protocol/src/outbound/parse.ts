import { InvalidParameterError } from '../errors.js'
import { parseFpsAmount } from '../money.js'
import type { Params } from '../signature/sigv2.js'
import { isReturnStatusCode, type PaymentMethod, type ReturnStatusCode } from './status.js'

/** The parameters CBUI appends to the return URL, typed. */
export interface ReturnParams {
  status: ReturnStatusCode
  tokenID?: string
  refundTokenID?: string
  callerReference?: string
  expiry?: string
  errorMessage?: string
  /** SetupPrepaid: the funding token, the sender token and the prepaid instrument. */
  fundingTokenID?: string
  prepaidSenderTokenID?: string
  prepaidInstrumentID?: string
  /** SetupPostpaid: the credit sender token, the settlement token and the credit instrument. */
  creditSenderTokenID?: string
  settlementTokenID?: string
  creditInstrumentID?: string
}

const RETURN_FIELDS = [
  'tokenID',
  'refundTokenID',
  'callerReference',
  'expiry',
  'errorMessage',
  'fundingTokenID',
  'prepaidSenderTokenID',
  'prepaidInstrumentID',
  'creditSenderTokenID',
  'settlementTokenID',
  'creditInstrumentID',
] as const

/** An amount as FPS writes it in IPNs (`USD 1.00`), kept as an exact decimal string. */
export interface Money {
  currencyCode: string
  value: string
}

/** A `TransactionStatus` IPN: a transaction moved to a new status. */
export interface TransactionStatusNotification {
  notificationType: 'TransactionStatus'
  transactionId: string
  /** Upper case as FPS sent it: SUCCESS, PENDING, FAILURE, CANCELLED, RESERVED, INITIATED (2009). */
  transactionStatus: string
  statusCode?: string
  statusMessage?: string
  operation?: string
  callerReference?: string
  transactionDate?: Date
  transactionAmount?: Money
  paymentMethod?: PaymentMethod
  paymentReason?: string
  parentTransactionId?: string
  buyerName?: string
  buyerEmail?: string
  recipientName?: string
  recipientEmail?: string
}

/** A `TokenCancellation` IPN: the sender cancelled a token the caller installed. */
export interface TokenCancellationNotification {
  notificationType: 'TokenCancellation'
  tokenId: string
  tokenType?: string
  callerReference?: string
  customerName?: string
  customerEmail?: string
  dateInstalled?: string
  paymentReason?: string
}

/** Any IPN this library understands. */
export type IpnNotification = TransactionStatusNotification | TokenCancellationNotification

/** Reads the return URL parameters; throws {@link InvalidParameterError} when `status` is unusable. */
export function parseReturn(params: Params): ReturnParams {
  const { status } = params
  if (!isReturnStatusCode(status))
    throw new InvalidParameterError('status', 'is missing or not an FPS return status')
  return pick({ status }, params, RETURN_FIELDS)
}

/** Reads an IPN's parameters (verify its signature first); throws for an unknown or malformed one. */
export function parseIpn(params: Params): IpnNotification {
  if (params.notificationType === 'TokenCancellation') {
    const tokenId = required(params, 'tokenId')
    return pick({ notificationType: 'TokenCancellation', tokenId }, params, [
      'tokenType',
      'callerReference',
      'customerName',
      'customerEmail',
      'dateInstalled',
      'paymentReason',
    ])
  }
  if (params.notificationType !== 'TransactionStatus') {
    throw new InvalidParameterError(
      'notificationType',
      'must be TransactionStatus or TokenCancellation'
    )
  }
  const notification: TransactionStatusNotification = pick(
    {
      notificationType: 'TransactionStatus',
      transactionId: required(params, 'transactionId'),
      transactionStatus: params.transactionStatus ?? required(params, 'status'),
    },
    params,
    [
      'statusCode',
      'statusMessage',
      'operation',
      'callerReference',
      'paymentReason',
      'parentTransactionId',
      'buyerName',
      'buyerEmail',
      'recipientName',
      'recipientEmail',
    ]
  )
  if (params.transactionDate !== undefined)
    notification.transactionDate = parseEpoch(params.transactionDate)
  if (params.transactionAmount !== undefined)
    notification.transactionAmount = parseMoney(params.transactionAmount)
  if (params.paymentMethod !== undefined)
    notification.paymentMethod = parsePaymentMethod(params.paymentMethod)
  return notification
}

/** Parses FPS's `USD 1.00` form; the amount must be whole cents as {@link parseFpsAmount} reads them. */
export function parseMoney(text: string): Money {
  const match = /^([A-Z]{3}) (\S+)$/.exec(text)
  if (!match || parseFpsAmount(match[2]!) === undefined)
    throw new InvalidParameterError('transactionAmount', `"${text}" is not like "USD 1.00"`)
  return { currencyCode: match[1]!, value: match[2]! }
}

function parseEpoch(text: string): Date {
  if (!/^\d{1,12}$/.test(text))
    throw new InvalidParameterError('transactionDate', 'must be epoch seconds')
  return new Date(Number(text) * 1000)
}

function parsePaymentMethod(text: string): PaymentMethod {
  if (text !== 'ABT' && text !== 'ACH' && text !== 'CC')
    throw new InvalidParameterError('paymentMethod', 'must be ABT, ACH or CC')
  return text
}

function required(params: Params, name: string): string {
  const value = params[name]
  if (!value) throw new InvalidParameterError(name, 'is required')
  return value
}

function pick<T extends object>(target: T, params: Params, names: readonly string[]): T {
  for (const name of names) {
    const value = params[name]
    if (value !== undefined) Object.assign(target, { [name]: value })
  }
  return target
}
