import { z } from 'zod'
import { cancelToken } from '../engine/cancel-token.js'
import { charge } from '../engine/payments.js'
import { refund } from '../engine/refund.js'
import { cancel, settle } from '../engine/settle.js'
import { type ActionSpec, action, transactionResult } from './action-spec.js'
import {
  amount,
  chargeDetails,
  compact,
  currency,
  ipnOverride,
  percent,
  reference,
  text,
  tokenId,
  transactionId,
} from './fields.js'
import { INSTRUMENT_ACTIONS } from './instrument-actions.js'
import { QUERY_ACTIONS } from './query-actions.js'
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
  ...QUERY_ACTIONS,
  VerifySignature: verifySignatureAction,
  ...INSTRUMENT_ACTIONS,
}
