import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { newOrder } from '@fps-checkout/signer/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { resolveConfig } from '../config.js'
import { createLogger } from '../log.js'
import { openStore } from '../store/open.js'
import type { Store } from '../store/types.js'
import type { PaymentsContext } from './context.js'
import type { FpsGateway } from './fps.js'
import { sweep } from './sweep.js'

let dir: string | undefined
let store: Store | undefined
afterEach(async () => {
  await store?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('sweep', () => {
  it('reconciles 8 orders at once, counts each exactly, goes past those that fail', async () => {
    dir = mkdtempSync(join(tmpdir(), 'fps-sweep-'))
    store = openStore(`file:${join(dir, 'signer.db')}`)
    await store.migrate()
    const orders = Array.from({ length: 100 }, () => newOrder())
    for (const order of orders) await store.insertOrder(order)
    const failing = new Set(orders.filter((_, i) => i % 10 === 3).map((o) => o.callerReference))
    let inFlight = 0
    let most = 0
    const asked: string[] = []
    // every buyer left without a token; FPS cannot be reached about the failing ones
    const fps = {
      call: async (action: string, params: { CallerReference?: string }) => {
        expect(action).toBe('GetTokenByCaller')
        inFlight += 1
        most = Math.max(most, inFlight)
        await sleep(2)
        inFlight -= 1
        asked.push(params.CallerReference ?? '')
        if (failing.has(params.CallerReference ?? '')) throw new Error('connection reset')
        return { Token: [] }
      },
    } as unknown as FpsGateway
    const warnings: string[] = []
    const ctx: PaymentsContext = {
      config: resolveConfig({
        accessKeyId: 'AKID',
        secretKey: 'secret',
        returnUrl: 'https://shop.example/return',
      }),
      store,
      fps,
      // a day after the orders were made: past their recover-after and their expiry
      now: () => new Date(Date.parse(orders[0]!.createdAt) + 86_400_000),
      log: createLogger((line) => {
        if (line.includes('sweep could not reconcile')) warnings.push(line)
      }),
    }

    const report = await sweep(ctx)

    expect(most).toBe(8)
    expect(asked.sort()).toEqual(orders.map((o) => o.callerReference).sort())
    expect(report).toEqual({
      resent: 0,
      recovered: 0,
      expired: 90,
      settled: 0,
      charged: 0,
      failed: 10,
    })
    expect(warnings).toHaveLength(10)
    for (const order of orders) {
      expect((await store.getOrder(order.callerReference))?.status).toBe(
        failing.has(order.callerReference) ? 'created' : 'expired'
      )
    }
  })
})
