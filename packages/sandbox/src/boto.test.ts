import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fetchAsFpsHosts } from '../test/fps-hosts.js'
import { type Harness, SHOP, startSandbox } from '../test/harness.js'
import { walkPaymentPages } from '../testing/index.js'

/**
 * boto 2's FPS module, a client nobody on this project wrote, against the sandbox: Debian's
 * python3-boto (2.49) under Debian's own Python, which is where that package installs it.
 * boto's argument-checking decorators need Python 2, so test/boto/fps_client.py calls the
 * get_object layer beneath them (boto's signing, HTTP and XML parsing) and says how.
 */
const PYTHON = '/usr/bin/python3'
const SCRIPT = fileURLToPath(new URL('../test/boto/fps_client.py', import.meta.url))
const run = promisify(execFile)

let sandbox: Harness
beforeAll(async () => {
  sandbox = await startSandbox()
})
afterAll(() => sandbox.close())

/** Fails, never skips, where boto is not installed: the test is only worth something when it runs. */
async function requireBoto(): Promise<void> {
  try {
    await run(PYTHON, ['-c', 'import boto.fps.connection'])
  } catch (error) {
    throw new Error(
      `boto 2 is missing: install Debian's python3-boto (apt-get install -y python3-boto; npm run check installs it as root). ${PYTHON} said: ${(error as Error).message}`
    )
  }
}

/** Runs the boto script against the sandbox's port; boto reads no user or system config. */
async function boto(command: 'cbui-url' | 'api', ...args: string[]): Promise<string> {
  const port = new URL(sandbox.url).port
  const { stdout } = await run(
    PYTHON,
    [SCRIPT, command, port, SHOP.accessKeyId, SHOP.secretKey, ...args],
    { env: { PATH: process.env.PATH ?? '', BOTO_CONFIG: '/dev/null' } }
  )
  return stdout.trim()
}

describe('boto 2 (boto.fps) against the sandbox', { timeout: 30_000 }, () => {
  it("walks boto's own CBUI URL to a signed return, then pays, refunds and queries through boto's signing and parsing", async () => {
    await requireBoto()
    const cbuiUrl = new URL(await boto('cbui-url'))
    expect(cbuiUrl.origin + cbuiUrl.pathname).toBe(
      'https://authorize.payments-sandbox.amazon.com/cobranded-ui/actions/start'
    )
    expect(cbuiUrl.searchParams.get('CallerReference')).toMatch(/^[0-9a-f-]{36}$/)

    const back = await walkPaymentPages(cbuiUrl.toString(), { fetch: fetchAsFpsHosts(sandbox.url) })
    const returned = Object.fromEntries(back.searchParams)
    expect(returned).toMatchObject({ status: 'SA', signatureMethod: 'RSA-SHA1' })
    await sandbox.verify('GET', 'https://shop.example/boto/return', returned)
    const tokenId = returned.tokenID ?? ''

    const parsed = JSON.parse(await boto('api', tokenId))
    const payment = parsed.pay.TransactionId
    expect(parsed.pay).toEqual({ TransactionId: payment, TransactionStatus: 'Success' })
    expect(parsed.status).toEqual({
      TransactionId: payment,
      TransactionStatus: 'Success',
      StatusCode: 'Success',
    })
    expect(parsed.refund.TransactionStatus).toBe('Success')
    expect(sandbox.sandbox.state.transactions.get(parsed.refund.TransactionId)).toBeDefined()
    const balance = await sandbox.client().getAccountBalance()
    expect(parsed.balance.TotalBalance).toEqual(balance.AccountBalance?.TotalBalance)
    expect(parsed.balance.TotalBalance).toEqual({ Value: '3.000000', CurrencyCode: 'USD' })
    expect(parsed.requestId).toMatch(/^[0-9a-f-]{36}:0$/)
    expect(parsed.tokens).toContainEqual({ TokenId: tokenId, TokenStatus: 'Active' })
    // boto's exception factory picks its class by the FPS error code
    expect(parsed.error).toEqual({
      class: 'InvalidTransactionId',
      code: 'InvalidTransactionId',
      status: 400,
      message: 'transactionId has to be a valid transaction ID. Specified value: NOSUCHTRANSACTION',
    })
  })
})
