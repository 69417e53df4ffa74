import type { PipelineName } from '@fps-checkout/protocol'
import { newSessionId } from '../ids.js'
import type { PaymentMethod } from '../state/model.js'

/** Where a buyer is in the pipeline. */
export type Step = 'signin' | 'method' | 'review'

/** One buyer's walk through the CBUI pages, kept server-side; the page only carries its id. */
export interface CbuiSession {
  id: string
  /** The caller's CBUI request, as received and verified. */
  params: Record<string, string>
  pipeline: PipelineName
  callerAccountId: string
  step: Step
  buyerId?: string
  method?: PaymentMethod
  expiresAt: number
}

const SESSION_TTL_MS = 60 * 60 * 1000

/** CBUI sessions in memory: they last an hour, and end when the buyer returns to the caller. */
export class Sessions {
  private readonly sessions = new Map<string, CbuiSession>()

  create(fields: Omit<CbuiSession, 'id' | 'step' | 'expiresAt'>, now: number): CbuiSession {
    for (const [id, session] of this.sessions) if (session.expiresAt < now) this.sessions.delete(id)
    const session: CbuiSession = {
      ...fields,
      id: newSessionId(),
      step: 'signin',
      expiresAt: now + SESSION_TTL_MS,
    }
    this.sessions.set(session.id, session)
    return session
  }

  get(id: string, now: number): CbuiSession | undefined {
    const session = this.sessions.get(id)
    return session && session.expiresAt >= now ? session : undefined
  }

  end(id: string): void {
    this.sessions.delete(id)
  }
}
