import { randomInt } from 'node:crypto'
import { ERROR_STATUS } from '@fps-checkout/signer/http'
import type { Harness } from '@fps-checkout/signer/testing'
import fc from 'fast-check'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type Figure, none } from '../figures.js'
import { report } from './figures.js'
import { type FuzzRequest, fuzzEndpoints } from './fuzz-requests.js'
import { authorizedOrder, inLanes, startRig } from './rig.js'
import { SCALE } from './scale.js'

const ENDPOINTS = ['checkout', 'return', 'ipn', 'orders', 'admin_list', 'admin_actions', 'other']

let h: Harness
let endpoints: ReturnType<typeof fuzzEndpoints>
/** Lines the signer logged at level error: each is a request it failed on its side. */
const errorLogs: string[] = []
const figures: Figure[] = []
const totals = { requests: 0, serverErrors: 0, badAnswers: 0, seconds: 0 }

beforeAll(async () => {
  h = await startRig({
    log: (line) => {
      if (line.includes('"level":"error"')) errorLogs.push(line)
    },
  })
  const paid = await authorizedOrder(h, 'Fuzz target')
  const back = await h.returnWith(paid.query)
  const pending = await authorizedOrder(h, 'Fuzz target')
  endpoints = fuzzEndpoints({
    callerReferences: [paid.callerReference, pending.callerReference],
    accessTokens: [back.json.accessToken!],
    adminToken: h.signerOptions.adminToken!,
    certificateUrl: h.sandbox.certificateUrl(),
  })
})
afterAll(async () => {
  report('fuzz', 'Fuzzed requests', [
    ...figures,
    none('fuzz_5xx', totals.serverErrors, 'answers'),
    none(
      'fuzz_not_json_error',
      totals.badAnswers,
      'answers',
      'refusals that are not {error: {code, message}} with the code’s status'
    ),
    none('fuzz_error_logs', errorLogs.length, 'lines'),
    {
      name: 'fuzz_rate',
      value: totals.requests / Math.max(totals.seconds, 1e-3),
      unit: 'requests/s',
    },
  ])
  await h?.close()
})

/** What is wrong with the signer's answer to one request, or undefined when it is a proper one. */
async function problemWith(request: FuzzRequest): Promise<{ status: number; problem?: string }> {
  const response = await h.request(request.path, {
    method: request.method,
    headers: request.headers,
    redirect: 'manual',
    ...(request.method === 'GET' ? {} : { body: request.body ?? null }),
  })
  const text = await response.text()
  const { status } = response
  if (status >= 500) return { status, problem: `${status}: ${text.slice(0, 200)}` }
  if (/\n\s+at |node_modules|\/src\//.test(text) || text.includes(h.key.secretKey))
    return { status, problem: `leaks internals: ${text.slice(0, 200)}` }
  if (status === 303 && request.path === '/checkout') return { status }
  let answer: { error?: { code?: unknown; message?: unknown } }
  try {
    answer = JSON.parse(text) as typeof answer
  } catch {
    return { status, problem: `${status} is not JSON: ${text.slice(0, 100)}` }
  }
  if (status < 400) return { status }
  const code = answer.error?.code as keyof typeof ERROR_STATUS
  if (ERROR_STATUS[code] !== status || typeof answer.error?.message !== 'string')
    return { status, problem: `${status} with ${text.slice(0, 200)}` }
  return { status }
}

it.each(ENDPOINTS)(
  `answers ${SCALE.fuzzRuns} malformed requests to %s below 500, as JSON errors with a code`,
  async (name) => {
    const seed = randomInt(2 ** 31)
    const requests = fc.sample(endpoints[name]!, { numRuns: SCALE.fuzzRuns, seed })
    const started = performance.now()
    const answers = await inLanes(requests, 4, problemWith)
    totals.seconds += (performance.now() - started) / 1000
    totals.requests += answers.length
    totals.serverErrors += answers.filter((a) => a.status >= 500).length
    const problems = answers.flatMap((a, i) =>
      a.problem ? [`${a.problem} ← ${JSON.stringify(requests[i])}`] : []
    )
    totals.badAnswers += problems.length - answers.filter((a) => a.status >= 500).length
    const statuses = new Map<number, number>()
    for (const { status } of answers) statuses.set(status, (statuses.get(status) ?? 0) + 1)
    figures.push({
      name: `fuzz_${name}`,
      value: answers.length,
      unit: 'requests',
      note: `${[...statuses]
        .sort(([a], [b]) => a - b)
        .map(([status, n]) => `${status}×${n}`)
        .join(' ')}; seed ${seed}`,
    })
    expect(problems.slice(0, 5)).toEqual([])
  },
  SCALE.timeoutMs
)

it('is still up and selling afterwards, with nothing logged as an internal error', async () => {
  expect((await h.request('/healthz')).status).toBe(200)
  const { query } = await authorizedOrder(h, 'After the fuzz')
  expect((await h.returnWith(query)).json.order?.status).toBe('success')
  expect(errorLogs.slice(0, 3)).toEqual([])
})
