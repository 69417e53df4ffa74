/** An FPS amount: an exact decimal string, never a float. */
export interface Amount {
  Value: string
  CurrencyCode: 'USD'
}

/** FPS API versions this client speaks; the response namespace follows the version. */
export type ApiVersion = '2010-08-28' | '2008-09-17'

/** A transaction's status as the API reports it. */
export type TransactionStatus = 'Reserved' | 'Success' | 'Failure' | 'Pending' | 'Cancelled'

interface DescriptorPolicy {
  SoftDescriptorType?: 'Static' | 'Dynamic'
  CSOwner?: 'Caller' | 'Recipient'
}

interface Notified {
  /** 2010-08-28: where FPS posts the IPNs of this call instead of the account's IPN URL. */
  OverrideIPNURL?: string
}

/** Pay and Reserve take the same parameters. */
export interface PayRequest extends Notified {
  SenderTokenId: string
  TransactionAmount: Amount
  CallerReference: string
  RecipientTokenId?: string
  ChargeFeeTo?: 'Caller' | 'Recipient'
  CallerDescription?: string
  SenderDescription?: string
  DescriptorPolicy?: DescriptorPolicy
  TransactionTimeoutInMins?: string
  MarketplaceFixedFee?: Amount
  MarketplaceVariableFee?: string
}

export interface SettleRequest extends Notified {
  ReserveTransactionId: string
  TransactionAmount?: Amount
}

export interface RefundRequest extends Notified {
  TransactionId: string
  CallerReference: string
  RefundAmount?: Amount
  CallerDescription?: string
  MarketplaceRefundPolicy?: 'MasterTxnOnly' | 'MarketplaceTxnOnly' | 'MasterAndMarketplaceTxn'
}

export interface CancelRequest extends Notified {
  TransactionId: string
  Description?: string
}

export interface CancelTokenRequest extends Notified {
  TokenId: string
  ReasonText?: string
}

export type GetTokenByCallerRequest = { TokenId: string } | { CallerReference: string }

export interface GetTokensRequest {
  TokenStatus?: 'Active' | 'Inactive'
  TokenType?: 'SingleUse' | 'MultiUse' | 'Recurring' | 'Unrestricted'
  CallerReference?: string
  TokenFriendlyName?: string
}

export interface GetAccountActivityRequest {
  StartDate: string
  EndDate?: string
  MaxBatchSize?: string
  SortOrderByDate?: 'Ascending' | 'Descending'
  FPSOperation?: string
  PaymentMethod?: string
  Role?: ('Sender' | 'Caller' | 'Recipient')[]
  TransactionStatus?: TransactionStatus
}

export interface FundPrepaidRequest extends Notified {
  SenderTokenId: string
  PrepaidInstrumentId: string
  FundingAmount: Amount
  CallerReference: string
  SenderDescription?: string
  CallerDescription?: string
  DescriptorPolicy?: DescriptorPolicy
  TransactionTimeoutInMins?: string
}

export interface SettleDebtRequest extends Notified {
  SenderTokenId: string
  CreditInstrumentId: string
  SettlementAmount: Amount
  CallerReference: string
  SenderDescription?: string
  CallerDescription?: string
  DescriptorPolicy?: DescriptorPolicy
  TransactionTimeoutInMins?: string
}

export interface WriteOffDebtRequest {
  CreditInstrumentId: string
  AdjustmentAmount: Amount
  CallerReference: string
  CallerDescription?: string
}

/** `UrlEndPoint` is the receiving URL without its query; `HttpParameters` every received parameter. */
export interface VerifySignatureRequest {
  UrlEndPoint: string
  HttpParameters: string
}

/** What Pay, Reserve, Settle, Refund and the prepaid/postpaid money movements answer. */
export interface TransactionResult {
  TransactionId: string
  TransactionStatus: TransactionStatus
}

export interface TransactionStatusResult extends TransactionResult {
  CallerReference: string
  StatusCode?: string
  StatusMessage?: string
}

export interface Token {
  TokenId: string
  FriendlyName?: string
  TokenStatus: 'Active' | 'Inactive'
  DateInstalled: string
  CallerReference: string
  TokenType: string
  OldTokenId?: string
  PaymentReason?: string
}

export interface StatusHistoryEntry {
  Date: string
  TransactionStatus: TransactionStatus
  StatusCode?: string
  Amount?: Amount
}

/** GetTransaction's TransactionDetail, with the elements a caller reconciles on. */
export interface TransactionDetail {
  TransactionId: string
  CallerReference: string
  DateReceived: string
  DateCompleted?: string
  TransactionAmount: Amount
  FPSOperation: string
  PaymentMethod?: string
  TransactionStatus: TransactionStatus
  StatusCode?: string
  StatusMessage?: string
  SenderTokenId?: string
  RelatedTransaction?: { TransactionId: string; RelationType?: string }[]
  StatusHistory?: StatusHistoryEntry[]
  [element: string]: unknown
}

export interface AccountBalance {
  TotalBalance: Amount
  PendingInBalance: Amount
  PendingOutBalance: Amount
  AvailableBalances: { DisburseBalance: Amount; RefundBalance: Amount }
}

export interface ActivityTransaction {
  TransactionId: string
  DateReceived: string
  TransactionAmount: Amount
  FPSOperation: string
  TransactionStatus: TransactionStatus
  [element: string]: unknown
}

export interface TokenUsageLimit {
  Count?: string
  Amount?: Amount
  LastResetCount?: string
  LastResetAmount?: Amount
  LastResetTimestamp?: string
}

/** Each action's request and result types, by action name. */
export interface Actions {
  Pay: [PayRequest, TransactionResult]
  Reserve: [PayRequest, TransactionResult]
  Settle: [SettleRequest, TransactionResult]
  Refund: [RefundRequest, TransactionResult]
  Cancel: [CancelRequest, Partial<TransactionResult>]
  CancelToken: [CancelTokenRequest, Record<string, never>]
  GetTransactionStatus: [{ TransactionId: string }, TransactionStatusResult]
  GetTransaction: [{ TransactionId: string }, { Transaction: TransactionDetail }]
  GetTokenByCaller: [GetTokenByCallerRequest, { Token?: Token[] }]
  GetTokens: [GetTokensRequest, { Token?: Token[] }]
  GetTokenUsage: [{ TokenId: string }, { TokenUsageLimits?: TokenUsageLimit[] }]
  GetAccountBalance: [Record<string, never>, { AccountBalance?: AccountBalance }]
  GetAccountActivity: [
    GetAccountActivityRequest,
    {
      BatchSize?: string
      Transaction?: ActivityTransaction[]
      StartTimeForNextTransaction?: string
    },
  ]
  GetRecipientVerificationStatus: [
    { RecipientTokenId: string },
    { RecipientVerificationStatus?: string },
  ]
  VerifySignature: [VerifySignatureRequest, { VerificationStatus: 'Success' | 'Failure' }]
  FundPrepaid: [FundPrepaidRequest, TransactionResult]
  GetPrepaidBalance: [
    { PrepaidInstrumentId: string },
    { PrepaidBalance?: { AvailableBalance: Amount; PendingInBalance?: Amount } },
  ]
  GetTotalPrepaidLiability: [
    Record<string, never>,
    { OutstandingPrepaidLiability?: { OutstandingBalance: Amount; PendingInBalance?: Amount } },
  ]
  SettleDebt: [SettleDebtRequest, TransactionResult]
  WriteOffDebt: [WriteOffDebtRequest, TransactionResult]
  GetDebtBalance: [
    { CreditInstrumentId: string },
    { DebtBalance?: { AvailableBalance: Amount; PendingOutBalance?: Amount } },
  ]
  GetOutstandingDebtBalance: [
    Record<string, never>,
    { OutstandingDebt?: { OutstandingBalance: Amount; PendingOutBalance?: Amount } },
  ]
}

/** Any FPS API action this client can call. */
export type ActionName = keyof Actions
/** The request parameters of an action. */
export type RequestOf<A extends ActionName> = Actions[A][0]
/** What an action answers: its Result element plus the request id FPS assigned. */
export type ResultOf<A extends ActionName> = Actions[A][1] & { requestId: string }
