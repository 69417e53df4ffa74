import { z } from 'zod'
import { type ActionContext, requireCaller } from '../engine/context.js'
import {
  debtXml,
  payIntoInstrument,
  prepaidXml,
  writeOffDebt,
} from '../engine/instrument-payments.js'
import { callerInstrument } from '../engine/instruments.js'
import type { Instrument } from '../state/model.js'
import type { SandboxState } from '../state/store.js'
import { type ActionSpec, action, transactionResult } from './action-spec.js'
import { amount, chargeDetails, compact, currency, id, reference, text, tokenId } from './fields.js'

const instrumentId = id(64)

const callerInstruments = (
  state: SandboxState,
  callerAccountId: string,
  kind: Instrument['kind']
) =>
  [...state.instruments.values()].filter(
    (instrument) => instrument.callerAccountId === callerAccountId && instrument.kind === kind
  )

/** The parameters FundPrepaid and SettleDebt share; they name the instrument and amount apart. */
interface PaymentIntoInstrument {
  SenderTokenId: string
  CallerReference: string
  CallerDescription?: string | undefined
  SenderDescription?: string | undefined
  OverrideIPNURL?: string | undefined
}

/** Runs FundPrepaid or SettleDebt: a payment from the sender's token into an instrument. */
function payInto(
  ctx: ActionContext,
  operation: 'FundPrepaid' | 'SettleDebt',
  input: PaymentIntoInstrument,
  instrumentId: string,
  amount: number
) {
  return transactionResult(
    payIntoInstrument(
      ctx,
      operation,
      compact({
        senderTokenId: input.SenderTokenId,
        instrumentId,
        amount,
        callerReference: input.CallerReference,
        callerDescription: input.CallerDescription,
        senderDescription: input.SenderDescription,
        overrideIpnUrl: input.OverrideIPNURL,
      })
    )
  )
}

/** The prepaid (SetupPrepaid) and postpaid (SetupPostpaid) actions. */
export const INSTRUMENT_ACTIONS: Readonly<Record<string, ActionSpec>> = {
  FundPrepaid: action({
    schema: z.strictObject({
      SenderTokenId: tokenId,
      PrepaidInstrumentId: instrumentId,
      'FundingAmount.Value': amount,
      'FundingAmount.CurrencyCode': currency,
      CallerReference: reference,
      ...chargeDetails,
    }),
    idempotent: true,
    mutates: true,
    run: (ctx, input) =>
      payInto(ctx, 'FundPrepaid', input, input.PrepaidInstrumentId, input['FundingAmount.Value']),
  }),
  SettleDebt: action({
    schema: z.strictObject({
      SenderTokenId: tokenId,
      CreditInstrumentId: instrumentId,
      'SettlementAmount.Value': amount,
      'SettlementAmount.CurrencyCode': currency,
      CallerReference: reference,
      ...chargeDetails,
    }),
    idempotent: true,
    mutates: true,
    run: (ctx, input) =>
      payInto(ctx, 'SettleDebt', input, input.CreditInstrumentId, input['SettlementAmount.Value']),
  }),
  WriteOffDebt: action({
    schema: z.strictObject({
      CreditInstrumentId: instrumentId,
      'AdjustmentAmount.Value': amount,
      'AdjustmentAmount.CurrencyCode': currency,
      CallerReference: reference,
      CallerDescription: text(160).optional(),
    }),
    idempotent: true,
    mutates: true,
    run: (ctx, input) =>
      transactionResult(
        writeOffDebt(
          ctx,
          compact({
            instrumentId: input.CreditInstrumentId,
            amount: input['AdjustmentAmount.Value'],
            callerReference: input.CallerReference,
            callerDescription: input.CallerDescription,
          })
        )
      ),
  }),
  GetPrepaidBalance: action({
    schema: z.strictObject({ PrepaidInstrumentId: instrumentId }),
    idempotent: false,
    mutates: false,
    run: (ctx, input) => {
      const instrument = callerInstrument(
        ctx.state,
        input.PrepaidInstrumentId,
        requireCaller(ctx),
        'Prepaid'
      )
      const { Balance, PendingInBalance } = prepaidXml(ctx.state, [instrument])
      return { PrepaidBalance: { AvailableBalance: Balance, PendingInBalance } }
    },
  }),
  GetTotalPrepaidLiability: action({
    schema: z.strictObject({}),
    idempotent: false,
    mutates: false,
    run: (ctx) => {
      const { Balance, PendingInBalance } = prepaidXml(
        ctx.state,
        callerInstruments(ctx.state, requireCaller(ctx), 'Prepaid')
      )
      return { OutstandingPrepaidLiability: { OutstandingBalance: Balance, PendingInBalance } }
    },
  }),
  GetDebtBalance: action({
    schema: z.strictObject({ CreditInstrumentId: instrumentId }),
    idempotent: false,
    mutates: false,
    run: (ctx, input) => {
      const instrument = callerInstrument(
        ctx.state,
        input.CreditInstrumentId,
        requireCaller(ctx),
        'Credit'
      )
      const { Balance, PendingOutBalance } = debtXml(ctx.state, [instrument])
      return { DebtBalance: { AvailableBalance: Balance, PendingOutBalance } }
    },
  }),
  GetOutstandingDebtBalance: action({
    schema: z.strictObject({}),
    idempotent: false,
    mutates: false,
    run: (ctx) => {
      const { Balance, PendingOutBalance } = debtXml(
        ctx.state,
        callerInstruments(ctx.state, requireCaller(ctx), 'Credit')
      )
      return { OutstandingDebt: { OutstandingBalance: Balance, PendingOutBalance } }
    },
  }),
}
