import type { z } from 'zod'
import type { ActionContext } from '../engine/context.js'
import type { Transaction } from '../state/model.js'
import type { XmlObject } from '../xml.js'

/** One FPS action: its parameters, whether it changes state, and what its Result holds. */
export interface ActionSpec<S extends z.ZodType = z.ZodType> {
  schema: S
  /** Executes something and carries a CallerReference: answered from the 7-day record when resent. */
  idempotent: boolean
  mutates: boolean
  /** The Result element's content; undefined for actions answered with metadata only. */
  run(ctx: ActionContext, input: z.output<S>): XmlObject | undefined
}

/** Declares an action with its input type inferred from the schema. */
export const action = <S extends z.ZodType>(spec: ActionSpec<S>): ActionSpec<S> => spec

/** The Result of every action that creates or changes a transaction. */
export const transactionResult = (txn: Transaction): XmlObject => ({
  TransactionId: txn.id,
  TransactionStatus: txn.status,
})
