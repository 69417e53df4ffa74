import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { TEST_BUYER_PASSWORD, TEST_BUYERS } from '@fps-checkout/sandbox'
import { startDemo } from './stack.js'

/** A port from the environment, or 0 for a free one. */
function port(name: string): number {
  const value = process.env[name]
  if (value === undefined || value === '') return 0
  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) {
    throw new Error(`${name} must be a port number, not "${value}".`)
  }
  return parsed
}

/** `DEMO_CAPTURE=reserve` makes the shop reserve and settle on shipment, as FPS allowed. */
function capture(): 'pay' | 'reserve' {
  const value = process.env.DEMO_CAPTURE || 'pay'
  if (value !== 'pay' && value !== 'reserve')
    throw new Error(`DEMO_CAPTURE must be pay or reserve, not "${value}".`)
  return value
}

const dataDir = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), '.data')
const demo = await startDemo({
  dataDir,
  shopPort: port('DEMO_PORT'),
  sandboxPort: port('SANDBOX_PORT'),
  capture: capture(),
})
const buyers = TEST_BUYERS.map((buyer) => buyer.email).join(', ')
console.log(`Demo shop: ${demo.shopUrl}/`)
console.log(
  `Signer: ${demo.shopUrl}/fps (mounted in the shop; orders at ${demo.shopUrl}/orders, admin token in demo/.data/admin-token)`
)
console.log(
  `FPS sandbox: ${demo.sandbox.url}/ (test buyers ${buyers}; password "${TEST_BUYER_PASSWORD}")`
)

function stop() {
  demo.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('The demo did not close cleanly:', error)
      process.exit(1)
    }
  )
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
