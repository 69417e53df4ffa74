import { type Context, Hono } from 'hono'
import type { Env } from '../api/routes.js'
import type { Html } from '../html/layout.js'
import { sessionSecurityHeaders } from '../html/security.js'
import type { Runtime } from '../runtime.js'
import { TEST_BUYER_PASSWORD } from '../state/accounts.js'
import { PAYMENT_METHODS, type PaymentMethod } from '../state/model.js'
import { completePipeline } from './install.js'
import {
  dollars,
  type MethodChoice,
  methodPage,
  type PageFrame,
  problemPage,
  reviewPage,
  signInPage,
} from './pages.js'
import type { ReturnParams } from './pipeline-tokens.js'
import { returnLocation, returnOrigin, usableReturnUrl } from './return.js'
import { type CbuiSession, Sessions } from './sessions.js'
import { checkStart } from './start.js'
import { reviewRows, summaryLine } from './summary.js'

const CHOICE_DETAIL: Record<PaymentMethod, (runtime: Runtime, buyerId: string) => string> = {
  ABT: (runtime, buyerId) => `${dollars(runtime.state.balance(buyerId))} available`,
  ACH: () => 'checking account ending in 6789',
  CC: (runtime, buyerId) =>
    `Visa ending in 1111, expires ${runtime.state.account(buyerId).cardExpiry}`,
}

/** The requested methods (all three when unspecified) that the buyer actually holds. */
function choicesFor(runtime: Runtime, session: CbuiSession, buyerId: string): MethodChoice[] {
  const byDefault = session.pipeline === 'SetupPrepaid' ? ['ABT'] : PAYMENT_METHODS
  const requested = session.params.paymentMethod?.split(',') ?? byDefault
  const held = runtime.state.account(buyerId).methods
  return PAYMENT_METHODS.filter(
    (method) => requested.includes(method) && held.includes(method)
  ).map((method) => ({
    method,
    detail: CHOICE_DETAIL[method](runtime, buyerId),
  }))
}

function frameOf(runtime: Runtime, session: CbuiSession): PageFrame {
  const { params } = session
  return {
    action: `/cobranded-ui/sessions/${session.id}`,
    summary: summaryLine(session, runtime.state.account(session.callerAccountId)),
    branding: {
      ...(params.cobrandingUrl !== undefined && { logoUrl: params.cobrandingUrl }),
      ...(params.cobrandingStyle === 'banner' && { style: 'banner' as const }),
      ...(params.websiteDescription !== undefined && { description: params.websiteDescription }),
    },
  }
}

/** The page of the step the session is at; `status` is 422 when it repeats with an error. */
function stepPage(runtime: Runtime, session: CbuiSession, error?: string, email?: string): Html {
  const frame = frameOf(runtime, session)
  if (session.step === 'signin') return signInPage(frame, error, email)
  if (session.step === 'method') {
    return methodPage(
      frame,
      choicesFor(runtime, session, session.buyerId ?? ''),
      session.method,
      error
    )
  }
  const caller = runtime.state.account(session.callerAccountId)
  return reviewPage(frame, reviewRows(session, caller), session.params.websiteDescription)
}

/** Ends the session and sends the buyer back to the caller with signed return parameters. */
function finish(
  c: Context<Env>,
  runtime: Runtime,
  sessions: Sessions,
  session: CbuiSession,
  params: ReturnParams
) {
  sessions.end(session.id)
  return c.redirect(returnLocation(runtime, session.params.returnURL ?? '', params), 302)
}

/** Moves a session one step on from a posted form; answers an error to show, or nothing. */
function advance(
  runtime: Runtime,
  session: CbuiSession,
  form: Record<string, string>
): string | undefined {
  if (session.step === 'signin') {
    const buyer = runtime.state.accountByEmail(form.email ?? '')
    if (buyer?.kind !== 'buyer' || form.password !== TEST_BUYER_PASSWORD) {
      return 'The email or password is not correct. The test buyers are listed below.'
    }
    if (
      session.pipeline === 'EditToken' &&
      runtime.state.tokens.get(session.params.tokenId ?? '')?.ownerAccountId !== buyer.id
    ) {
      return 'This authorization belongs to another buyer: sign in as the buyer who gave it.'
    }
    session.buyerId = buyer.id
    session.step = session.pipeline === 'Recipient' ? 'review' : 'method'
    return undefined
  }
  if (session.step === 'method') {
    const chosen = choicesFor(runtime, session, session.buyerId ?? '').find(
      (choice) => choice.method === form.method
    )
    if (!chosen) return 'Choose one of the payment methods.'
    session.method = chosen.method
    session.step = 'review'
  }
  return undefined
}

/** What a buyer sees on a session that has finished or expired (the back button, a stale tab). */
const SESSION_ENDED = problemPage(
  'Session ended',
  'This payment session has ended or expired. Start again from the merchant’s site.'
)

/**
 * The Co-Branded UI: pipeline start, then sign in, payment method and review pages. Sessions
 * expire by the sandbox's clock, like everything else the buyer was given time for.
 */
export function cbuiRoutes(runtime: Runtime) {
  const sessions = new Sessions()
  const nowMs = () => runtime.clock.now().getTime()
  return new Hono<Env>()
    .use(
      '/sessions/:id',
      sessionSecurityHeaders(
        (c) => returnOrigin(sessions.get(c.req.param('id') ?? '', nowMs())?.params.returnURL) ?? ''
      )
    )
    .get('/actions/start', (c) => {
      const url = new URL(c.req.url)
      const params = Object.fromEntries(url.searchParams)
      if (!usableReturnUrl(params.returnURL)) {
        return c.html(
          problemPage(
            'This payment cannot start',
            'The request has no usable returnURL, so the sandbox cannot send you back to the merchant.'
          ),
          400
        )
      }
      const check = checkStart(runtime.state, `${url.protocol}//${url.host}${url.pathname}`, params)
      if (check.kind === 'unauthenticated') {
        return c.html(
          problemPage(
            'This payment cannot start',
            `${check.errorMessage} The sandbox sends buyers back only to callers whose requests it can verify, so it signed no answer and did not use the returnURL.`
          ),
          403
        )
      }
      if (check.kind === 'callerError') {
        const back = {
          status: 'CE',
          errorMessage: check.errorMessage,
          ...(params.callerReference !== undefined && { callerReference: params.callerReference }),
        }
        return c.redirect(returnLocation(runtime, params.returnURL, back), 302)
      }
      const session = sessions.create(
        { params: check.params, pipeline: check.pipeline, callerAccountId: check.callerAccountId },
        nowMs()
      )
      return c.redirect(`/cobranded-ui/sessions/${session.id}`, 303)
    })
    .get('/sessions/:id', (c) => {
      const session = sessions.get(c.req.param('id'), nowMs())
      if (!session) return c.html(SESSION_ENDED, 404)
      return c.html(stepPage(runtime, session))
    })
    .post('/sessions/:id', async (c) => {
      const session = sessions.get(c.req.param('id'), nowMs())
      if (!session) return c.html(SESSION_ENDED, 404)
      const form = Object.fromEntries(new URLSearchParams(await c.req.text()))
      const callerReference = session.params.callerReference ?? ''
      if (form.intent === 'cancel')
        return finish(c, runtime, sessions, session, { status: 'A', callerReference })
      if (form.step !== session.step) return c.redirect(`/cobranded-ui/sessions/${session.id}`, 303)
      if (session.step === 'review') {
        const answer = completePipeline(runtime.state, session, runtime.clock.now())
        runtime.state.commit()
        return finish(c, runtime, sessions, session, answer)
      }
      const error = advance(runtime, session, form)
      if (error) return c.html(stepPage(runtime, session, error, form.email), 422)
      if (
        session.step === 'method' &&
        choicesFor(runtime, session, session.buyerId ?? '').length === 0
      ) {
        return finish(c, runtime, sessions, session, {
          status: 'PE',
          errorMessage: 'You do not have any of the payment methods this merchant accepts.',
          callerReference,
        })
      }
      return c.redirect(`/cobranded-ui/sessions/${session.id}`, 303)
    })
}
