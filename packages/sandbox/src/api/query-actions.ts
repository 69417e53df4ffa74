import { z } from 'zod'
import { accountActivityXml } from '../engine/activity.js'
import { type ApiVersion, requireCaller } from '../engine/context.js'
import {
  accountBalanceXml,
  statusXml,
  tokenByCaller,
  tokenUsageXml,
  tokenXml,
  transactionDetailXml,
} from '../engine/queries.js'
import { callerToken } from '../engine/tokens.js'
import { visibleTransaction } from '../engine/transactions.js'
import { type ActionSpec, action } from './action-spec.js'
import {
  compact,
  dateTime,
  positiveInteger,
  reference,
  text,
  tokenId,
  transactionId,
} from './fields.js'

const transactionQuery = z.strictObject({ TransactionId: transactionId })

/**
 * A verified recipient (every sandbox account is one) in each version's words: the 2010-08-28 XSD
 * says `VerificationComplete`; 2011-09-20 answers with the revised set (`PendingUserAction`,
 * `PendingReview`, `Closed`, `Active`) that amazon_flex_pay checks the answer against.
 */
const RECIPIENT_VERIFIED: Readonly<Record<ApiVersion, string>> = {
  '2008-09-17': 'VerificationComplete',
  '2010-08-28': 'VerificationComplete',
  '2011-09-20': 'Active',
}
const roles = z.enum(['Sender', 'Caller', 'Recipient'])

/** The read-only actions: transactions, tokens and the account. */
export const QUERY_ACTIONS: Readonly<Record<string, ActionSpec>> = {
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
      return { RecipientVerificationStatus: RECIPIENT_VERIFIED[ctx.version] }
    },
  }),
}
