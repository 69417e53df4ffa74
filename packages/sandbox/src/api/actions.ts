import { z } from 'zod'
import { accountActivityXml } from '../engine/activity.js'
import { cancelToken } from '../engine/cancel-token.js'
import { requireCaller } from '../engine/context.js'
import { charge } from '../engine/payments.js'
import {
  accountBalanceXml,
  statusXml,
  tokenByCaller,
  tokenUsageXml,
  tokenXml,
  transactionDetailXml,
} from '../engine/queries.js'
import { refund } from '../engine/refund.js'
import { cancel, settle } from '../engine/settle.js'
import { callerToken } from '../engine/tokens.js'
import { visibleTransaction } from '../engine/transactions.js'
import { type ActionSpec, action, transactionResult } from './action-spec.js'
import {
  amount,
  chargeDetails,
  compact,
  currency,
  dateTime,
  ipnOverride,
  percent,
  positiveInteger,
  reference,
  text,
  tokenId,
  transactionId,
} from './fields.js'
import { INSTRUMENT_ACTIONS } from './instrument-actions.js'
import { verifySignatureAction } from './verify-signature.js'

const chargeSchema = z.strictObject({
  SenderTokenId: tokenId,
  'TransactionAmount.Value': amount,
  'TransactionAmount.CurrencyCode': currency,
  CallerReference: reference,
  RecipientTokenId: tokenId.optional(),
  ChargeFeeTo: z.enum(['Caller', 'Recipient']).optional(),
  'MarketplaceFixedFee.Value': amount.optional(),
  'MarketplaceFixedFee.CurrencyCode': currency.optional(),
  MarketplaceVariableFee: percent.optional(),
  ...chargeDetails,
})

function chargeAction(operation: 'Pay' | 'Reserve') {
  return action({
    schema: chargeSchema,
    idempotent: true,
    mutates: true,
    run: (ctx, input) =>
      transactionResult(
        charge(ctx, {
          operation,
          ...compact({
            senderTokenId: input.SenderTokenId,
            amount: input['TransactionAmount.Value'],
            callerReference: input.CallerReference,
            recipientTokenId: input.RecipientTokenId,
            callerDescription: input.CallerDescription,
            senderDescription: input.SenderDescription,
            marketplaceFixedFee: input['MarketplaceFixedFee.Value'],
            marketplaceVariableFee: input.MarketplaceVariableFee,
            overrideIpnUrl: input.OverrideIPNURL,
          }),
        })
      ),
  })
}

const transactionQuery = z.strictObject({ TransactionId: transactionId })
const roles = z.enum(['Sender', 'Caller', 'Recipient'])

/** Every FPS API action the sandbox answers, by its wire name. */
export const ACTIONS: Readonly<Record<string, ActionSpec>> = {
  Pay: chargeAction('Pay'),
  Reserve: chargeAction('Reserve'),
  Settle: action({
    schema: z.strictObject({
      ReserveTransactionId: transactionId,
      'TransactionAmount.Value': amount.optional(),
      'TransactionAmount.CurrencyCode': currency.optional(),
      ...ipnOverride,
    }),
    idempotent: false,
    mutates: true,
    run: (ctx, input) =>
      transactionResult(
        settle(
          ctx,
          compact({
            reserveTransactionId: input.ReserveTransactionId,
            amount: input['TransactionAmount.Value'],
            overrideIpnUrl: input.OverrideIPNURL,
          })
        )
      ),
  }),
  Refund: action({
    schema: z.strictObject({
      TransactionId: transactionId,
      CallerReference: reference,
      'RefundAmount.Value': amount.optional(),
      'RefundAmount.CurrencyCode': currency.optional(),
      CallerDescription: text(160).optional(),
      MarketplaceRefundPolicy: z
        .literal('MasterTxnOnly', 'must be MasterTxnOnly, the only policy the sandbox supports')
        .optional(),
      ...ipnOverride,
    }),
    idempotent: true,
    mutates: true,
    run: (ctx, input) =>
      transactionResult(
        refund(
          ctx,
          compact({
            transactionId: input.TransactionId,
            callerReference: input.CallerReference,
            amount: input['RefundAmount.Value'],
            callerDescription: input.CallerDescription,
            overrideIpnUrl: input.OverrideIPNURL,
          })
        )
      ),
  }),
  Cancel: action({
    schema: z.strictObject({
      TransactionId: transactionId,
      Description: text(160).optional(),
      ...ipnOverride,
    }),
    idempotent: false,
    mutates: true,
    run: (ctx, input) => transactionResult(cancel(ctx, input.TransactionId, input.OverrideIPNURL)),
  }),
  CancelToken: action({
    schema: z.strictObject({ TokenId: tokenId, ReasonText: text(1024).optional(), ...ipnOverride }),
    idempotent: false,
    mutates: true,
    run: (ctx, input) => {
      cancelToken(ctx, input.TokenId, input.OverrideIPNURL)
      return undefined
    },
  }),
  GetTransactionStatus: action({
    schema: transactionQuery,
    idempotent: false,
    mutates: false,
    run: (ctx, input) =>
      statusXml(visibleTransaction(ctx.state, input.TransactionId, requireCaller(ctx))),
  }),
  GetTransaction: action({
    schema: transactionQuery,
    idempotent: false,
    mutates: false,
    run: (ctx, input) => ({
      Transaction: transactionDetailXml(
        ctx.state,
        visibleTransaction(ctx.state, input.TransactionId, requireCaller(ctx))
      ),
    }),
  }),
  GetTokenByCaller: action({
    schema: z.strictObject({ TokenId: tokenId.optional(), CallerReference: reference.optional() }),
    idempotent: false,
    mutates: false,
    run: (ctx, input) => ({
      Token: tokenXml(
        tokenByCaller(
          ctx,
          compact({ tokenId: input.TokenId, callerReference: input.CallerReference })
        )
      ),
    }),
  }),
  GetTokens: action({
    schema: z.strictObject({
      TokenStatus: z.enum(['Active', 'Inactive']).optional(),
      TokenType: z.enum(['SingleUse', 'MultiUse', 'Recurring', 'Unrestricted']).optional(),
      CallerReference: reference.optional(),
      TokenFriendlyName: text(128).optional(),
    }),
    idempotent: false,
    mutates: false,
    run: (ctx, input) => {
      const callerAccountId = requireCaller(ctx)
      const tokens = [...ctx.state.tokens.values()].filter(
        (token) =>
          token.callerAccountId === callerAccountId &&
          (input.TokenStatus === undefined || token.status === input.TokenStatus) &&
          (input.TokenType === undefined || token.type === input.TokenType) &&
          (input.CallerReference === undefined ||
            token.callerReference === input.CallerReference) &&
          (input.TokenFriendlyName === undefined ||
            token.callerReference === input.TokenFriendlyName)
      )
      return { Token: tokens.map(tokenXml) }
    },
  }),
  GetTokenUsage: action({
    schema: z.strictObject({ TokenId: tokenId }),
    idempotent: false,
    mutates: false,
    run: (ctx, input) => tokenUsageXml(ctx, tokenByCaller(ctx, { tokenId: input.TokenId })),
  }),
  GetAccountBalance: action({
    schema: z.strictObject({}),
    idempotent: false,
    mutates: false,
    run: (ctx) => accountBalanceXml(ctx.state, requireCaller(ctx)),
  }),
  GetAccountActivity: action({
    schema: z.strictObject({
      StartDate: dateTime,
      EndDate: dateTime.optional(),
      MaxBatchSize: positiveInteger.optional(),
      SortOrderByDate: z.enum(['Ascending', 'Descending']).default('Descending'),
      FPSOperation: z
        .enum(['Pay', 'Refund', 'Settle', 'Reserve', 'FundPrepaid', 'SettleDebt', 'WriteOffDebt'])
        .optional(),
      PaymentMethod: z.enum(['ABT', 'ACH', 'CC', 'Prepaid', 'Debt']).optional(),
      'Role.1': roles.optional(),
      'Role.2': roles.optional(),
      'Role.3': roles.optional(),
      TransactionStatus: z
        .enum(['Reserved', 'Success', 'Failure', 'Pending', 'Cancelled'])
        .optional(),
    }),
    idempotent: false,
    mutates: false,
    run: (ctx, input) =>
      accountActivityXml(ctx, {
        roles: [input['Role.1'], input['Role.2'], input['Role.3']].filter(
          (role) => role !== undefined
        ),
        sortOrder: input.SortOrderByDate,
        ...compact({
          startDate: input.StartDate,
          endDate: input.EndDate,
          maxBatchSize: input.MaxBatchSize,
          operation: input.FPSOperation,
          paymentMethod: input.PaymentMethod,
          status: input.TransactionStatus,
        }),
      }),
  }),
  GetRecipientVerificationStatus: action({
    schema: z.strictObject({ RecipientTokenId: tokenId }),
    idempotent: false,
    mutates: false,
    run: (ctx, input) => {
      callerToken(ctx.state, input.RecipientTokenId, requireCaller(ctx), 'Recipient')
      return { RecipientVerificationStatus: 'VerificationComplete' }
    },
  }),
  VerifySignature: verifySignatureAction,
  ...INSTRUMENT_ACTIONS,
}
