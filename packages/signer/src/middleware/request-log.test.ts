import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningSigner, serveSigner } from '../serve.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

const lines: string[] = []
let running: RunningSigner
beforeAll(async () => {
  running = await serveSigner(
    {
      accessKeyId: 'AKIAREQUESTLOG',
      secretKey: 'request-log-secret',
      returnUrl: 'https://shop.example/return',
      databaseUrl: 'file::memory:',
      log: (line) => lines.push(line),
    },
    { port: 0, sweepIntervalMs: 0 }
  )
})
afterAll(() => running.close())

/** Answers the request id a request got and the `request` line the signer logged for it. */
async function idAndLogLine(headers: Record<string, string> = {}) {
  const response = await fetch(`${running.url}/healthz`, { headers })
  expect(response.status).toBe(200)
  const id = response.headers.get('x-request-id') ?? ''
  const logged = lines
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((fields) => fields.msg === 'request' && fields.requestId === id)
  return { id, logged }
}

describe('request ids', () => {
  it('gives each request its own id, answered as X-Request-Id and bound to its log line', async () => {
    const first = await idAndLogLine()
    const second = await idAndLogLine()
    for (const { id, logged } of [first, second]) {
      expect(id).toMatch(UUID)
      expect(logged).toEqual([
        expect.objectContaining({ level: 'info', requestId: id, method: 'GET', path: '/healthz' }),
      ])
    }
    expect(first.id).not.toBe(second.id)
  })

  it.each([
    ['a well-formed id', 'forged-id-1'],
    ['quotes that would close the JSON string', 'forged","level":"error","msg":"admin login'],
    ['an escaped newline and a fake line', 'forged\\n{"level":"error"}'],
    ['a very long value', `forged${'a'.repeat(4096)}`],
  ])('takes no client X-Request-Id (%s): neither answered nor logged', async (_kind, sent) => {
    const before = lines.length
    const { id, logged } = await idAndLogLine({ 'x-request-id': sent })
    expect(id).toMatch(UUID)
    expect(logged).toHaveLength(1)
    const written = lines.slice(before)
    expect(written.length).toBeGreaterThan(0)
    for (const line of written) expect(line).not.toContain('forged')
  })
})
