import { describe, expect, it } from 'vitest'
import { createLogger } from './log.js'

/** A logger writing into an array, and the lines it wrote, parsed. */
function captured() {
  const lines: string[] = []
  const logger = createLogger((line) => lines.push(line))
  return { logger, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) }
}

describe('createLogger', () => {
  it('writes one JSON line per call, with the fields bound by child()', () => {
    const { logger, parsed } = captured()
    logger.child({ requestId: 'r-1' }).info('request', { status: 200 })
    expect(parsed()).toEqual([
      { time: expect.any(String), level: 'info', msg: 'request', requestId: 'r-1', status: 200 },
    ])
  })

  it('describes an error by its name, code, message and cause, never its stack', () => {
    const { logger, parsed } = captured()
    const cause = Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' })
    logger.error('flush failed', { error: new TypeError('no flush', { cause }) })
    const [line] = parsed()
    expect(line?.error).toEqual({
      name: 'TypeError',
      message: 'no flush',
      cause: { name: 'Error', code: 'EIO', message: 'EIO: i/o error, fdatasync' },
    })
    expect(JSON.stringify(line)).not.toMatch(/\bat |\.ts:\d|node_modules/)
  })
})
