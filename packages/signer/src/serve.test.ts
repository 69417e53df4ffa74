import { mkdtempSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { canMount, readOnlyView } from '../test/mounts.js'
import { createTestDatabase } from '../test/postgres.js'
import { serveSigner } from './serve.js'
import { openStore } from './store/open.js'
import type { Store } from './store/types.js'

const body = JSON.stringify({ amount: '1.00', reason: 'A song' })

const settings = {
  accessKeyId: 'AKIASERVETEST',
  secretKey: 'serve-test-secret',
  returnUrl: 'https://shop.example/return',
  log: () => {},
}

/** A signer on a free port over a fresh SQLite file; `arrived` resolves when a checkout reaches it. */
async function start() {
  let reached = () => {}
  const arrived = new Promise<void>((resolve) => {
    reached = resolve
  })
  const running = await serveSigner(
    {
      ...settings,
      databaseUrl: `file:${join(mkdtempSync(join(tmpdir(), 'serve-')), 'signer.db')}`,
      clientKey: () => {
        reached()
        return 'buyer'
      },
    },
    { port: 0, sweepIntervalMs: 0 }
  )
  return { running, arrived }
}

it('lets a checkout in flight finish before it closes, and takes no connection after', async () => {
  const { running, arrived } = await start()
  const checkout = request(`${running.url}/checkout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
  })
  const answer = new Promise<{ status: number | undefined; text: string }>((resolve, reject) => {
    checkout.on('error', reject)
    checkout.on('response', (response) => {
      let text = ''
      response.on('data', (chunk) => {
        text += chunk
      })
      response.on('end', () => resolve({ status: response.statusCode, text }))
    })
  })
  checkout.write(body.slice(0, 10))
  await arrived
  const closed = running.close()
  checkout.end(body.slice(10))
  const { status, text } = await answer
  expect(status).toBe(200)
  expect(JSON.parse(text)).toMatchObject({ url: expect.stringContaining('signature=') })
  await closed
  await expect(fetch(`${running.url}/healthz`)).rejects.toThrow()
})

it('does not wait for idle keep-alive connections', async () => {
  const { running } = await start()
  const answer = await fetch(`${running.url}/healthz`)
  expect(answer.status).toBe(200)
  await answer.text()
  await running.close()
})

it('refuses to listen on a PostgreSQL database it cannot write', async () => {
  const url = await createTestDatabase()
  await expect(
    serveSigner(
      { ...settings, databaseUrl: `${url}?default_transaction_read_only=on` },
      { port: 0, sweepIntervalMs: 0 }
    )
  ).rejects.toMatchObject({
    code: 'store_unavailable',
    problem: 'it is read-only (SQLSTATE 25006)',
  })
})

it.runIf(canMount())('refuses to listen on a SQLite file on a read-only disk', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'serve-'))
  const databaseUrl = (at: string) => `file:${join(at, 'signer.db')}`
  const options = { port: 0, sweepIntervalMs: 0 }
  await (await serveSigner({ ...settings, databaseUrl: databaseUrl(dir) }, options)).close()
  const readOnly = readOnlyView(dir)
  try {
    await expect(
      serveSigner({ ...settings, databaseUrl: databaseUrl(readOnly.dir) }, options)
    ).rejects.toMatchObject({ code: 'store_unavailable', problem: /read-only/ })
  } finally {
    readOnly.remove()
  }
})

it('keeps serving when a sweep’s store queries fail, and logs each failure', async () => {
  const lines: string[] = []
  const store = openStore(`file:${join(mkdtempSync(join(tmpdir(), 'serve-')), 'signer.db')}`)
  const failing: Store = Object.assign(Object.create(store) as Store, {
    listStalledOperations: () => Promise.reject(new Error('the disk went away')),
    listOrders: () => Promise.reject(new Error('the disk went away')),
  })
  const running = await serveSigner(
    { ...settings, store: failing, log: (line) => lines.push(line) },
    { port: 0, sweepIntervalMs: 5 }
  )
  try {
    await expect
      .poll(() => lines.filter((line) => line.includes('sweep could not reconcile')).length)
      .toBeGreaterThanOrEqual(3)
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200)
    expect(lines.join('\n')).not.toMatch(/ {4}at /)
  } finally {
    await running.close()
  }
})
