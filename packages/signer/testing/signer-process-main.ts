import { serveSigner } from '@fps-checkout/signer'

/**
 * A signer in a process of its own, for tests that kill it: options come as JSON in argv[2]; it
 * prints one JSON line with its URL once listening.
 */
const running = await serveSigner(JSON.parse(process.argv[2] ?? '{}'), {
  port: 0,
  sweepIntervalMs: 0,
})
process.stdout.write(`${JSON.stringify({ msg: 'listening', url: running.url })}\n`)
