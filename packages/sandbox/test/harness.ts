import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  buildCbuiUrl,
  type CbuiRequest,
  createOutboundVerifier,
  FpsClient,
  type FpsClientOptions,
} from '@fps-checkout/protocol'
import { inject } from 'vitest'
import type { CallerOptions } from '../src/runtime.js'
import { type RunningSandbox, type ServeOptions, serveSandbox } from '../src/serve.js'
import { type PaymentPagesWalk, walkPaymentPages } from '../testing/index.js'

/** The suite's one key (see signing-key.ts): RSA key generation is slow on 2 cores. */
const signingKey = inject('signingKey')

export const SHOP: Required<Omit<CallerOptions, 'ipnUrl'>> = {
  accessKeyId: 'AKIATESTSHOP00000001',
  secretKey: 'test-shop-secret-key-0000000000000000001',
  account: 'Test Shop',
}
export const MARKET: Required<Omit<CallerOptions, 'ipnUrl'>> = {
  accessKeyId: 'AKIATESTMARKET000001',
  secretKey: 'test-market-secret-key-00000000000000001',
  account: 'Test Market',
}

/** A sandbox listening on a free port, with helpers that talk to it over real HTTP. */
export interface Harness extends RunningSandbox {
  /**
   * Lets the processor answer every Pending transaction now, runs what else is due by the
   * sandbox's clock (a reserve past its expiry), and waits for the IPNs to go out.
   */
  process(): Promise<void>
  client(caller?: CallerOptions, options?: Partial<FpsClientOptions>): FpsClient
  cbuiUrl(request: CbuiRequest, caller?: CallerOptions): string
  /** Walks the pages like a browser submitting forms; answers the final redirect to the returnURL. */
  walk(startUrl: string, walk?: PaymentPagesWalk): Promise<URL>
  /** Installs a token through the CBUI and answers its id. */
  token(request: CbuiRequest, walk?: PaymentPagesWalk, caller?: CallerOptions): Promise<string>
  /** Verifies a signed return or IPN with the protocol package's verifier. */
  verify(method: 'GET' | 'POST', endpoint: string, params: Record<string, string>): Promise<void>
}

/**
 * Starts a sandbox for tests. CC and ACH stay Pending until the test calls `process()` (or passes a
 * short `settlementDelayMs`), so assertions about the Pending state never race the processor.
 * `keyFromDataDir` makes it keep its key in `dataDir` as the CLI does.
 */
export async function startSandbox({
  keyFromDataDir,
  ...options
}: ServeOptions & { keyFromDataDir?: boolean } = {}): Promise<Harness> {
  const running = await serveSandbox({
    port: 0,
    callers: [SHOP, MARKET],
    settlementDelayMs: 600_000,
    ipn: { baseDelayMs: 20, maxDelayMs: 100, maxAttempts: 4, timeoutMs: 2_000 },
    ...(keyFromDataDir ? {} : { signingKey }),
    ...options,
  })
  const verifier = createOutboundVerifier({ allowedCertificatePrefixes: [`${running.url}/certs/`] })
  const harness: Harness = {
    ...running,
    process: () => {
      running.sandbox.completePending()
      return running.sandbox.whenIdle()
    },
    client: (caller = SHOP, options = {}) =>
      new FpsClient({
        accessKeyId: caller.accessKeyId,
        secretKey: caller.secretKey,
        endpoint: `${running.url}/`,
        maxRetries: 0,
        ...options,
      }),
    cbuiUrl: (request, caller = SHOP) =>
      buildCbuiUrl({
        endpoint: `${running.url}/cobranded-ui/actions/start`,
        accessKeyId: caller.accessKeyId,
        secretKey: caller.secretKey,
        request,
      }),
    walk: walkPaymentPages,
    token: async (request, walk, caller) => {
      const back = await harness.walk(harness.cbuiUrl(request, caller), walk)
      const tokenId = back.searchParams.get('tokenID')
      if (!tokenId) throw new Error(`No token came back: ${back}`)
      return tokenId
    },
    verify: (method, endpoint, params) => verifier.verify({ method, endpoint, params }),
  }
  return harness
}

type SingleUseRequest = Extract<CbuiRequest, { pipelineName: 'SingleUse' }>

/** A single-use token request for an amount, with a fresh callerReference. */
export function singleUse(amount: string, extra: Partial<SingleUseRequest> = {}): SingleUseRequest {
  return {
    pipelineName: 'SingleUse',
    callerReference: `token-${Math.random().toString(36).slice(2)}`,
    returnURL: 'https://shop.example/return?order=1',
    transactionAmount: amount,
    paymentReason: 'Now and Forever - Richard Marx',
    ...extra,
  }
}

/** A fresh CallerReference for an API call. */
export const ref = (prefix = 'ref'): string => `${prefix}-${Math.random().toString(36).slice(2)}`

/** USD amount in the client's wire shape. */
export const usd = (value: string) => ({ Value: value, CurrencyCode: 'USD' as const })

/** A local HTTP server that records IPNs and answers with the status the test chooses. */
export interface IpnReceiver {
  url: string
  received: Record<string, string>[]
  /** Statuses to answer, in order; 200 once they run out. */
  answers: number[]
  waitFor(count: number, timeoutMs?: number): Promise<Record<string, string>[]>
  close(): Promise<void>
}

export async function startIpnReceiver(): Promise<IpnReceiver> {
  const received: Record<string, string>[] = []
  const answers: number[] = []
  const server: Server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8')
    })
    request.on('end', () => {
      const status = answers.shift() ?? 200
      if (status === 200) received.push(Object.fromEntries(new URLSearchParams(body)))
      response.writeHead(status).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/ipn`,
    received,
    answers,
    waitFor: async (count, timeoutMs = 5_000) => {
      const deadline = Date.now() + timeoutMs
      while (received.length < count) {
        if (Date.now() > deadline)
          throw new Error(`Only ${received.length} of ${count} IPNs arrived.`)
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
      return received
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
