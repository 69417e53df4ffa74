import { expect, it } from 'vitest'
import { createSandbox } from './app.js'

it('logs an internal error by its name and message, without a stack, and answers an FPS error', async () => {
  const lines: string[] = []
  const sandbox = createSandbox({ log: (line) => lines.push(line) })
  sandbox.app.get('/_sandbox/broken', () => {
    throw new RangeError('the ledger is inconsistent')
  })
  const answer = await sandbox.app.request('/_sandbox/broken')
  expect(answer.status).toBe(500)
  expect(await answer.text()).toContain('<Code>InternalError</Code>')
  expect(lines).toEqual([
    'Internal error on GET /_sandbox/broken: RangeError: the ledger is inconsistent',
  ])
})
