import { html } from 'hono/html'
import type { Html } from '../html/layout.js'
import { limitedHtml } from '../html/limited-html.js'
import { parseAmount } from '../money.js'
import type { Account } from '../state/model.js'
import { dollars, METHOD_LABELS } from './pages.js'
import type { CbuiSession } from './sessions.js'

type Row = [string, string | Html]

const money = (value: string | undefined, name: string) =>
  value === undefined ? undefined : dollars(parseAmount(value, name))

const date = (epochSeconds: string | undefined) =>
  epochSeconds === undefined
    ? undefined
    : new Date(Number(epochSeconds) * 1000).toISOString().slice(0, 10)

function present(rows: [string, string | Html | undefined][]): Row[] {
  return rows.filter((row): row is Row => row[1] !== undefined)
}

/** One sentence above each form: who asks for what. */
export function summaryLine(session: CbuiSession, caller: Account): string {
  const { params } = session
  switch (session.pipeline) {
    case 'SingleUse':
      return `${caller.name} asks you to pay ${money(params.transactionAmount, 'transactionAmount')}.`
    case 'MultiUse':
      return `${caller.name} asks you to authorize payments of up to ${money(params.globalAmountLimit, 'globalAmountLimit')} in total.`
    case 'Recurring':
      return `${caller.name} asks you to authorize ${money(params.transactionAmount, 'transactionAmount')} every ${params.recurringPeriod}.`
    case 'Recipient':
      return `${caller.name} asks you to accept payments through its marketplace.`
    case 'SetupPrepaid':
      return `${caller.name} asks you to prepay up to ${money(params.fundingAmount, 'fundingAmount')} for later purchases.`
    case 'SetupPostpaid':
      return `${caller.name} asks you to open a credit line of ${money(params.creditLimit, 'creditLimit')}, settled later.`
    case 'EditToken':
      return `${caller.name} asks you to change the payment method of an existing authorization.`
  }
}

/** The review page's rows: the amounts, limits and fees the buyer is about to authorize. */
export function reviewRows(session: CbuiSession, caller: Account): Row[] {
  const { params } = session
  const usage = ['1', '2'].map((n): [string, string | undefined] => [
    `Usage limit ${n}`,
    params[`usageLimitType${n}`] === undefined
      ? undefined
      : `${params[`usageLimitType${n}`] === 'Amount' ? money(params[`usageLimitValue${n}`], 'usageLimitValue') : `${params[`usageLimitValue${n}`]} payments`}${params[`usageLimitPeriod${n}`] ? ` per ${params[`usageLimitPeriod${n}`]}` : ''}`,
  ])
  return present([
    ['Pay to', caller.name],
    ['Amount', money(params.transactionAmount, 'transactionAmount')],
    [
      'Amount rule',
      session.pipeline === 'MultiUse' && params.transactionAmount
        ? (params.amountType ?? 'Exact')
        : undefined,
    ],
    ['Total limit', money(params.globalAmountLimit, 'globalAmountLimit')],
    ['Prepaid up to', money(params.fundingAmount, 'fundingAmount')],
    ['Credit limit', money(params.creditLimit, 'creditLimit')],
    ...usage,
    ['Every', params.recurringPeriod],
    ['Item total', money(params.itemTotal, 'itemTotal')],
    ['Shipping', money(params.shipping, 'shipping')],
    ['Handling', money(params.handling, 'handling')],
    ['Gift wrapping', money(params.giftWrapping, 'giftWrapping')],
    ['Tax', money(params.tax, 'tax')],
    ['Discount', money(params.discount, 'discount')],
    ['Maximum fixed fee', money(params.maxFixedFee, 'maxFixedFee')],
    [
      'Maximum variable fee',
      params.maxVariableFee === undefined ? undefined : `${params.maxVariableFee}%`,
    ],
    [
      'Amazon fee paid by',
      params.recipientPaysFee === undefined
        ? undefined
        : params.recipientPaysFee === 'True'
          ? 'you'
          : caller.name,
    ],
    ['Valid from', date(params.validityStart)],
    ['Valid until', date(params.validityExpiry)],
    ['Reason', params.paymentReason === undefined ? undefined : limitedHtml(params.paymentReason)],
    ['Payment method', session.method ? METHOD_LABELS[session.method] : undefined],
    ['Token', session.pipeline === 'EditToken' ? html`<code>${params.tokenId}</code>` : undefined],
  ])
}
