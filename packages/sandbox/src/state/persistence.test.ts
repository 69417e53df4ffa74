import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ref, singleUse, startSandbox, usd } from '../../test/harness.js'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('persistence in a data directory', () => {
  it('keeps the ledger, tokens, the 7-day record and the signing key across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fps-sandbox-'))
    dirs.push(dataDir)
    const first = await startSandbox({ dataDir, keyFromDataDir: true })
    const tokenId = await first.token(singleUse('9.00'))
    const prepared = first.client().prepare('Pay', {
      SenderTokenId: tokenId,
      TransactionAmount: usd('9.00'),
      CallerReference: ref(),
    })
    const payment = await first.client().send(prepared)
    const balance = first.sandbox.state.balance('caller-test-shop')
    const keyId = first.sandbox.signingKey.id
    await first.close()
    expect(JSON.parse(readFileSync(join(dataDir, 'state.json'), 'utf8')).format).toBe(1)

    const second = await startSandbox({ dataDir, keyFromDataDir: true })
    try {
      expect(second.sandbox.state.balance('caller-test-shop')).toBe(balance)
      expect(second.sandbox.state.ledger.total()).toBe(0)
      expect(second.sandbox.signingKey.id).toBe(keyId)
      const status = await second
        .client()
        .getTransactionStatus({ TransactionId: payment.TransactionId })
      expect(status.TransactionStatus).toBe('Success')
      const resent = second.client().refresh({ ...prepared, url: `${second.url}/` })
      const replayed = await second.client().send(resent)
      expect(replayed.TransactionId).toBe(payment.TransactionId)
    } finally {
      await second.close()
    }
  })

  it('keeps how far the clock was moved ahead, so a restart never turns time back', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fps-sandbox-'))
    dirs.push(dataDir)
    const first = await startSandbox({ dataDir })
    first.sandbox.clock.advance(30 * 86_400_000)
    await first.close()
    const second = await startSandbox({ dataDir })
    try {
      expect(second.sandbox.clock.offsetMs).toBe(30 * 86_400_000)
    } finally {
      await second.close()
    }
  })

  it('completes a CC payment left Pending by a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fps-sandbox-'))
    dirs.push(dataDir)
    const first = await startSandbox({ dataDir, settlementDelayMs: 60_000 })
    const tokenId = await first.token(singleUse('3.00'), {
      email: 'bob@buyer.example',
      method: 'CC',
    })
    const payment = await first
      .client()
      .pay({ SenderTokenId: tokenId, TransactionAmount: usd('3.00'), CallerReference: ref() })
    const stored = first.sandbox.state.transactions.get(payment.TransactionId)
    if (stored) stored.completesAt = Date.now() + 50
    first.sandbox.state.commit()
    await first.close()
    const second = await startSandbox({ dataDir })
    try {
      await second.sandbox.whenIdle()
      expect(second.sandbox.state.transactions.get(payment.TransactionId)?.status).toBe('Success')
    } finally {
      await second.close()
    }
  })
})
