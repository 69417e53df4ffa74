import { setTimeout as sleep } from 'node:timers/promises'
import type { HttpBindings } from '@hono/node-server'
import { type Context, Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { FpsFault } from '../errors.js'
import type { Runtime } from '../runtime.js'
import { ACTIONS } from './actions.js'
import { authenticate, COMMON_PARAMS } from './auth.js'
import { parseParams } from './fields.js'
import { remember, replay } from './idempotency.js'
import { type Answer, errorAnswer, successAnswer } from './responses.js'

/** In-process requests (`app.request`) have no Node bindings; served ones do. */
export type Env = { Bindings: Partial<HttpBindings> }

const MAX_BODY_BYTES = 256 * 1024

/** The request's parameters from the query and, for POST, the form body; a name may appear once. */
async function readParams(c: Context<Env>): Promise<Record<string, string>> {
  const url = new URL(c.req.url)
  const pairs = [...url.searchParams]
  if (c.req.method === 'POST') pairs.push(...new URLSearchParams(await c.req.text()))
  const params: Record<string, string> = {}
  for (const [name, value] of pairs) {
    if (Object.hasOwn(params, name))
      throw new FpsFault('InvalidRequest', `Parameter ${name} appears more than once.`)
    params[name] = value
  }
  return params
}

/**
 * Runs one API call: signature and freshness, the 7-day replay record, parameter validation,
 * then the action. Business errors are answers too, and are remembered like successes.
 */
function execute(
  runtime: Runtime,
  method: 'GET' | 'POST',
  endpoint: string,
  params: Record<string, string>
): Answer {
  const { state } = runtime
  const now = runtime.clock.now()
  const wallNow = runtime.clock.base()
  const { credential, version } = authenticate({ method, endpoint, params, state, now, wallNow })
  const action = params.Action ?? ''
  const spec = ACTIONS[action]
  if (!spec)
    throw new FpsFault(
      'InvalidRequest',
      `The action ${action || '(none)'} is not valid for this web service.`
    )
  const accountId = credential?.accountId
  const own = Object.fromEntries(
    Object.entries(params).filter(([name]) => !(COMMON_PARAMS as readonly string[]).includes(name))
  )
  if (version === '2008-09-17' && own.OverrideIPNURL !== undefined) {
    throw new FpsFault(
      'InvalidRequest',
      'OverrideIPNURL is not part of the 2008-09-17 API; use Version 2010-08-28.'
    )
  }
  const recorded = spec.idempotent && accountId ? replay(state, accountId, params, now) : undefined
  if (recorded) return recorded
  const input = parseParams(spec.schema, own)
  let answer: Answer
  try {
    answer = successAnswer(action, version, spec.run(runtime.context(credential, version), input))
  } catch (error) {
    if (!(error instanceof FpsFault) || error.status >= 500) throw error
    answer = errorAnswer(error)
  }
  if (spec.idempotent && accountId) remember(state, accountId, params, answer, now)
  if (spec.mutates) state.commit()
  return answer
}

const xml = (c: Context<Env>, answer: Answer) =>
  c.body(answer.body, answer.status as 200, { 'content-type': 'text/xml; charset=utf-8' })

/** Drops the connection without an answer; in-process there is no socket, so the call throws. */
function dropResponse(c: Context<Env>): Response {
  const socket = c.env?.incoming?.socket
  if (!socket)
    throw new Error('Fault injection dropped the response of this call after committing it.')
  socket.destroy()
  return c.body(null, 500)
}

/** The FPS API at `/`, GET and POST, with the injected faults applied around each call. */
export function apiRoutes(runtime: Runtime) {
  return new Hono<Env>().on(
    ['GET', 'POST'],
    '/',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) =>
        xml(
          c,
          errorAnswer(new FpsFault('InvalidRequest', 'The request body is larger than 256 KB.'))
        ),
    }),
    async (c) => {
      let params: Record<string, string> | FpsFault
      try {
        params = await readParams(c)
      } catch (error) {
        if (!(error instanceof FpsFault)) throw error
        params = error
      }
      const action = params instanceof FpsFault ? undefined : params.Action
      const failure = runtime.faults?.takeError(action)
      if (failure) {
        const code = failure === 503 ? 'ServiceUnavailable' : 'InternalError'
        return xml(
          c,
          errorAnswer(new FpsFault(code, 'Injected fault: the service is temporarily unavailable.'))
        )
      }
      const delay = runtime.faults?.takeDelay(action) ?? 0
      if (delay > 0) await sleep(delay)
      let answer: Answer
      try {
        if (params instanceof FpsFault) throw params
        const url = new URL(c.req.url)
        answer = execute(
          runtime,
          c.req.method as 'GET' | 'POST',
          `${url.protocol}//${url.host}${url.pathname}`,
          params
        )
      } catch (error) {
        if (!(error instanceof FpsFault)) throw error
        answer = errorAnswer(error)
      }
      if (runtime.faults?.takeDrop(action)) return dropResponse(c)
      return xml(c, answer)
    }
  )
}
