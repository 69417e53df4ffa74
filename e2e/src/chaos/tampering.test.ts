import { randomInt } from 'node:crypto'
import type { Harness } from '@fps-checkout/signer/testing'
import fc from 'fast-check'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { none } from '../figures.js'
import { report } from './figures.js'
import { type IpnRecorder, startIpnRecorder } from './ipn-recorder.js'
import { mutation } from './mutations.js'
import {
  type Authorized,
  authorizedOrder,
  inLanes,
  ledgerPays,
  openSignerStore,
  startRig,
} from './rig.js'
import { SCALE } from './scale.js'
import { describeMutation, type Genuine, sendMutation } from './tamper.js'

/** How a refusal of a tampered message may be worded: 4xx with one of these codes. */
const REFUSALS = new Set(['signature_invalid', 'invalid_return', 'invalid_request'])

let h: Harness
let recorder: IpnRecorder
/** Genuine returns never posted: a mutation the signer took would charge one of them. */
let unreturned: Authorized[]
/** A genuine return for a purchase the buyer cancelled at CBUI. */
let cancelled: Authorized
let genuine: Genuine[]

beforeAll(async () => {
  recorder = await startIpnRecorder()
  h = await startRig({ ipnUrl: recorder.url })
  for (const method of ['ABT', 'CC'] as const) {
    const paid = await h.checkout({ amount: '3.00', reason: 'Genuine IPN' })
    expect((await h.returnWith(await h.authorize(paid.json.url!, { method }))).status).toBe(200)
  }
  // ABT's Pay succeeds at once (one IPN); CC's is Pending, then settles (two IPNs).
  const ipns = await recorder.waitFor(3)
  unreturned = [await authorizedOrder(h, 'Unreturned'), await authorizedOrder(h, 'Unreturned')]
  const { json } = await h.checkout({ amount: '4.00', reason: 'Cancelled' })
  cancelled = {
    callerReference: json.callerReference!,
    query: await h.authorize(json.url!, { cancel: true }),
  }
  genuine = [
    ...[...unreturned, cancelled].map((r) => ({
      kind: 'return' as const,
      bytes: Buffer.from(r.query, 'latin1'),
    })),
    ...ipns.map((bytes) => ({ kind: 'ipn' as const, bytes })),
  ]
})
afterAll(async () => {
  await h?.close()
  await recorder?.close()
})

it(
  `refuses ${SCALE.mutations} single-byte or single-field mutations of genuine returns and IPNs`,
  async () => {
    const seed = randomInt(2 ** 31)
    const donors = genuine.flatMap((g) => [
      ...new URLSearchParams(g.bytes.toString('latin1')).values(),
    ])
    const cases = fc.sample(fc.tuple(fc.constantFrom(...genuine), mutation(donors)), {
      numRuns: SCALE.mutations,
      seed,
    })
    const paysBefore = ledgerPays(h).length
    const started = performance.now()
    const verdicts = await inLanes(cases, 4, ([g, m]) => sendMutation(h, g, m))
    const seconds = (performance.now() - started) / 1000
    const paysDuring = ledgerPays(h).length - paysBefore

    const codes = new Map<string, number>()
    const taken: string[] = []
    verdicts.forEach((verdict, i) => {
      if (verdict === 'equivalent') return
      codes.set(verdict.code, (codes.get(verdict.code) ?? 0) + 1)
      const [g, m] = cases[i]!
      if (verdict.status >= 500 || verdict.status < 400 || !REFUSALS.has(verdict.code))
        taken.push(`${verdict.status} ${verdict.code} ← ${describeMutation(g, m)}`)
    })
    const equivalent = verdicts.filter((v) => v === 'equivalent').length
    report('tamper', 'Tampered returns and IPNs', [
      {
        name: 'tamper_mutations',
        value: cases.length,
        unit: 'mutations',
        note: `fast-check seed ${seed}`,
      },
      {
        name: 'tamper_equivalent',
        value: equivalent,
        unit: 'mutations',
        note: 'same parameters once decoded (e.g. %2f for %2F): not sent',
      },
      ...[...codes].map(([code, count]) => ({
        name: `tamper_answered_${code.replace(/\W+/g, '_')}`,
        value: count,
        unit: 'requests',
      })),
      none('tamper_not_refused', taken.length, 'requests'),
      none('tamper_pay_calls', paysDuring, 'Pay'),
      { name: 'tamper_rate', value: (cases.length - equivalent) / seconds, unit: 'requests/s' },
    ])

    const store = openSignerStore(h.signerOptions.databaseUrl)
    const untouched = await Promise.all(
      [...unreturned, cancelled].map(async ({ callerReference }) => ({
        status: (await store.getOrder(callerReference))?.status,
        operations: (await store.listOperations(callerReference)).length,
      }))
    ).finally(() => store.close())
    expect(equivalent).toBeLessThan(cases.length / 10)
    expect([...new Set(taken)].slice(0, 10)).toEqual([])
    expect(paysDuring).toBe(0)
    expect(untouched).toEqual(
      genuine.filter((g) => g.kind === 'return').map(() => ({ status: 'created', operations: 0 }))
    )
  },
  SCALE.timeoutMs
)

it('refuses a genuine return carrying an extra parameter named Signature, which no signature covers', async () => {
  const [target] = unreturned
  const answer = await h.returnWith(`${target!.query}&Signature=`)
  expect(answer.status).toBe(403)
  expect(h.transactions(target!.callerReference).filter((t) => t.operation === 'Pay')).toHaveLength(
    0
  )
})

it('still accepts the genuine messages it was refusing mutations of', async () => {
  for (const { callerReference, query } of unreturned) {
    expect((await h.returnWith(query)).json.order?.status).toBe('success')
    expect(h.transactions(callerReference).filter((t) => t.operation === 'Pay')).toHaveLength(1)
  }
  expect((await h.returnWith(cancelled.query)).json.returned?.outcome).toBe('abandoned')
  for (const g of genuine.filter((g) => g.kind === 'ipn'))
    expect((await h.postIpn(g.bytes.toString())).status).toBe(200)
})
