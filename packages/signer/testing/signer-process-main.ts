import { readFileSync } from 'node:fs'
import { serveSigner } from '@fps-checkout/signer'
import type { SignerProcessOptions } from './signer-process.js'

/**
 * A signer in a process of its own, for tests that kill it: options come as JSON in argv[2], how
 * the process runs (see `SignerProcessOptions`) in argv[3]; it prints one JSON line with its URL
 * once listening.
 */
const options = JSON.parse(process.argv[3] ?? '{}') as SignerProcessOptions

/** The clock offset the test last wrote, in ms: 0 before it writes one. */
function offsetMs(file: string): number {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return 0
  }
  const offset = Number(text.trim() || 0)
  if (!Number.isFinite(offset)) throw new Error(`The clock offset file holds "${text}".`)
  return offset
}

const file = options.clockOffsetFile
const running = await serveSigner(
  {
    ...JSON.parse(process.argv[2] ?? '{}'),
    ...(file ? { now: () => new Date(Date.now() + offsetMs(file)) } : {}),
  },
  { port: 0, sweepIntervalMs: options.sweepIntervalMs ?? 0 }
)
process.stdout.write(`${JSON.stringify({ msg: 'listening', url: running.url })}\n`)
