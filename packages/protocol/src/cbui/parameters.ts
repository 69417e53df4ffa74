/** The CBUI pipeline version every FPS SDK sent; the only one the service accepted. */
export const CBUI_VERSION = '2009-01-09'

/** Where the historic Amazon CBUI pipelines started. */
export const CBUI_ENDPOINTS = {
  production: 'https://authorize.payments.amazon.com/cobranded-ui/actions/start',
  sandbox: 'https://authorize.payments-sandbox.amazon.com/cobranded-ui/actions/start',
} as const

/** How a parameter's wire value is checked (and, for booleans and dates, written). */
export type ParameterKind =
  | 'text'
  | 'amount'
  | 'amountOrZero'
  | 'percent'
  | 'count'
  | 'boolean'
  | 'epoch'
  | 'currency'
  | 'paymentMethods'
  | 'url'
  | 'httpsUrl'
  | 'period'
  | 'recurringPeriod'
  | 'choice'

/** One parameter of a pipeline: its kind, whether it is required, and its limits. */
export interface ParameterSpec {
  readonly kind: ParameterKind
  readonly required?: true
  readonly max?: number
  readonly choices?: readonly string[]
}

const text = { kind: 'text' } as const
const required = <S extends ParameterSpec>(spec: S) => ({ ...spec, required: true }) as const
const reference = { kind: 'text', max: 128 } as const
const amount = { kind: 'amount' } as const
const displayAmount = { kind: 'amountOrZero' } as const
const flag = { kind: 'boolean' } as const
const epoch = { kind: 'epoch' } as const
const usageLimitType = { kind: 'choice', choices: ['Amount', 'Count'] } as const

const common = {
  callerKey: required(text),
  pipelineName: required(text),
  returnURL: required({ kind: 'url' }),
  version: required({ kind: 'choice', choices: [CBUI_VERSION] }),
  signatureMethod: { kind: 'choice', choices: ['HmacSHA256', 'HmacSHA1'] },
  signatureVersion: { kind: 'choice', choices: ['2'] },
  signature: text,
  cobrandingStyle: { kind: 'choice', choices: ['banner', 'logo'] },
  cobrandingUrl: { kind: 'httpsUrl' },
  websiteDescription: text,
} as const

const shippingAddress = {
  collectShippingAddress: flag,
  addressName: text,
  addressLine1: text,
  addressLine2: text,
  city: text,
  state: text,
  country: text,
  zip: text,
  phoneNumber: text,
} as const

const payment = {
  currencyCode: { kind: 'currency' },
  paymentMethod: { kind: 'paymentMethods' },
  paymentReason: text,
  ...shippingAddress,
} as const

const validity = { validityStart: epoch, validityExpiry: epoch } as const

const usageLimits = {
  usageLimitType1: usageLimitType,
  usageLimitPeriod1: { kind: 'period' },
  usageLimitValue1: amount,
  usageLimitType2: usageLimitType,
  usageLimitPeriod2: { kind: 'period' },
  usageLimitValue2: amount,
} as const

/** Every pipeline's parameters, from the FPS guides and the official SDKs' mandatory checks. */
export const PIPELINES = {
  SingleUse: {
    ...common,
    ...payment,
    callerReference: required(reference),
    transactionAmount: required(amount),
    recipientToken: text,
    reserve: flag,
    itemTotal: displayAmount,
    shipping: displayAmount,
    handling: displayAmount,
    discount: displayAmount,
    tax: displayAmount,
    giftWrapping: displayAmount,
    disableGuest: flag,
  },
  MultiUse: {
    ...common,
    ...payment,
    ...validity,
    ...usageLimits,
    callerReference: required(reference),
    globalAmountLimit: required(amount),
    amountType: { kind: 'choice', choices: ['Exact', 'Maximum', 'Minimum'] },
    transactionAmount: amount,
    isRecipientCobranding: flag,
    recipientTokenList: text,
    disableGuest: flag,
  },
  Recurring: {
    ...common,
    ...payment,
    ...validity,
    callerReference: required(reference),
    transactionAmount: required(amount),
    recurringPeriod: required({ kind: 'recurringPeriod' }),
    recipientToken: text,
    isRecipientCobranding: flag,
  },
  Recipient: {
    ...common,
    ...validity,
    callerReference: required(reference),
    recipientPaysFee: required(flag),
    maxFixedFee: required(displayAmount),
    maxVariableFee: required({ kind: 'percent' }),
    paymentMethod: { kind: 'paymentMethods' },
  },
  SetupPrepaid: {
    ...common,
    ...payment,
    ...validity,
    callerReferenceFunding: required(reference),
    callerReferenceSender: required(reference),
    fundingAmount: required(amount),
  },
  SetupPostpaid: {
    ...common,
    ...payment,
    ...validity,
    ...usageLimits,
    callerReferenceSender: required(reference),
    callerReferenceSettlement: required(reference),
    creditLimit: required(amount),
    globalAmountLimit: required(amount),
  },
  EditToken: {
    ...common,
    callerReference: required(reference),
    tokenId: required({ kind: 'text', max: 64 }),
    paymentMethod: { kind: 'paymentMethods' },
  },
} as const satisfies Record<string, Record<string, ParameterSpec>>

/** The CBUI pipelines: which kind of payment token the buyer is asked to authorize. */
export type PipelineName = keyof typeof PIPELINES

/** Narrows an untrusted value to a known pipeline name. */
export function isPipelineName(value: unknown): value is PipelineName {
  return typeof value === 'string' && Object.hasOwn(PIPELINES, value)
}
