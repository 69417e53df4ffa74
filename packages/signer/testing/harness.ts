import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { signRsaSha1 } from '@fps-checkout/protocol'
import {
  generateSigningKey,
  type Sandbox,
  type SandboxOptions,
  type SigningKey,
  serveSandbox,
} from '@fps-checkout/sandbox'
import { walkPaymentPages } from '@fps-checkout/sandbox/testing'
import { createSigner, type Signer, type SignerOptions } from '@fps-checkout/signer'
import type { EventRecord, OrderView } from '@fps-checkout/signer/http'
import { serve } from '@hono/node-server'

/** A signer answer, loosely typed for assertions. */
export interface Answer {
  url?: string
  callerReference?: string
  expiresAt?: string
  order?: OrderView
  orders?: OrderView[]
  accessToken?: string
  returned?: { status: string; outcome: string; message: string }
  error?: { code: string; message: string; retriable?: boolean }
}

/** A sandbox transaction, as much of it as the tests look at. */
export interface LedgerTransaction {
  id: string
  operation: string
  callerReference: string
  amount: number
  status: string
  parentId?: string
}

/** The shop's return page; CBUI sends the buyer here and the page posts the query to the signer. */
export const RETURN_URL = 'https://shop.example/fps/return'

/** The admin token every harness signer is configured with. */
export const ADMIN_TOKEN = 'admin-token-for-tests-0123456789'

let signingKey: SigningKey | undefined

/** A fresh caller key pair; the secret is random so a leak of it can be searched for. */
export function newCallerKey(): { accessKeyId: string; secretKey: string } {
  return {
    accessKeyId: `AKIA${randomBytes(8).toString('hex').toUpperCase()}`,
    secretKey: `secret-${randomBytes(24).toString('base64url')}`,
  }
}

/** Knobs of one harness run. */
export interface HarnessOptions {
  signer?: Partial<SignerOptions>
  sandbox?: SandboxOptions
  /**
   * Caller keys the sandbox knows; defaults to the signer's current pair. A caller without an
   * account name joins the shop's account; one with its own (an attacker) has an account apart.
   */
  callers?: { accessKeyId: string; secretKey: string; account?: string }[]
}

/**
 * The real sandbox and the real signer, each on its own HTTP port on 127.0.0.1, wired the way a
 * merchant wires them: FPS posts IPNs to the signer, CBUI sends buyers to the shop's return page.
 */
export class Harness {
  readonly logs: string[] = []
  signer!: Signer
  signerUrl = ''
  /** The options the signer was created with, so a restart keeps its database. */
  signerOptions!: SignerOptions

  private constructor(
    readonly sandbox: Sandbox,
    readonly sandboxUrl: string,
    readonly key: { accessKeyId: string; secretKey: string },
    private readonly closeSandbox: () => Promise<void>,
    private readonly closeServer: () => Promise<void>,
    readonly dir: string
  ) {}

  static async start(options: HarnessOptions = {}): Promise<Harness> {
    signingKey ??= generateSigningKey()
    const fresh = newCallerKey()
    const key = {
      accessKeyId: options.signer?.accessKeyId ?? fresh.accessKeyId,
      secretKey: options.signer?.secretKey ?? fresh.secretKey,
    }
    let harness: Harness | undefined
    const server = await listen((request) =>
      harness?.signer ? harness.signer.app.fetch(request) : new Response(null, { status: 503 })
    )
    const signerUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const running = await serveSandbox({
      port: 0,
      signingKey,
      settlementDelayMs: 200,
      ipn: { baseDelayMs: 50, maxDelayMs: 200, maxAttempts: 5 },
      callers: (options.callers ?? [key]).map((caller) => ({
        account: 'Signer Test Shop',
        ipnUrl: `${signerUrl}/ipn`,
        ...caller,
      })),
      ...options.sandbox,
    })
    const dir = mkdtempSync(join(tmpdir(), 'fps-signer-test-'))
    harness = new Harness(
      running.sandbox,
      running.url,
      key,
      running.close,
      () => close(server),
      dir
    )
    harness.signerUrl = signerUrl
    const logs = harness.logs
    harness.signerOptions = {
      ...key,
      apiUrl: `${running.url}/`,
      returnUrl: RETURN_URL,
      ipnUrl: `${signerUrl}/ipn`,
      adminToken: ADMIN_TOKEN,
      databaseUrl: `file:${join(dir, 'signer.db')}`,
      log: (line) => logs.push(line),
      leaseMs: 2_000,
      ...options.signer,
    }
    await harness.restartSigner()
    return harness
  }

  /** Replaces the signer with a new one on the same database (a restart, a key rotation). */
  async restartSigner(overrides: Partial<SignerOptions> = {}): Promise<void> {
    await this.signer?.close()
    this.signerOptions = { ...this.signerOptions, ...overrides }
    this.signer = createSigner(this.signerOptions)
    await this.signer.ready
  }

  /** A request to the signer over HTTP. */
  request(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${this.signerUrl}${path}`, init)
  }

  /** `POST /checkout` with a JSON body; answers the parsed response and its status. */
  async checkout(body: unknown, headers: Record<string, string> = {}) {
    const response = await this.request('/checkout', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    })
    return { status: response.status, json: (await response.json()) as Answer }
  }

  /**
   * Walks the CBUI pages over HTTP as a buyer would (sign in, choose a method, continue, or
   * cancel) and answers the query string the buyer comes back to the return page with (the
   * shop's, unless the pipeline named another).
   */
  async authorize(
    url: string,
    choice: {
      buyer?: string
      method?: 'ABT' | 'ACH' | 'CC'
      cancel?: boolean
      returnUrl?: string
    } = {}
  ): Promise<string> {
    const back = await walkPaymentPages(url, {
      email: `${choice.buyer ?? 'alice'}@buyer.example`,
      ...(choice.method === undefined ? {} : { method: choice.method }),
      ...(choice.cancel ? { cancelAt: 'signin' as const } : {}),
    })
    if (!back.href.startsWith(choice.returnUrl ?? RETURN_URL))
      throw new Error(`CBUI did not return: ${back.href}`)
    return back.search.slice(1)
  }

  /** `POST /return` with the query string, as the return page does. */
  async returnWith(query: string) {
    const response = await this.request('/return', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    })
    return { status: response.status, json: (await response.json()) as Answer }
  }

  /**
   * Parameters signed with the sandbox's key exactly as FPS signed its outbound messages, for
   * returns and IPNs the sandbox has no button for.
   */
  signOutbound(method: 'GET' | 'POST', endpoint: string, params: Record<string, string>): string {
    const signed = {
      ...params,
      signatureMethod: 'RSA-SHA1',
      signatureVersion: '2',
      certificateUrl: this.sandbox.certificateUrl(),
    }
    const signature = signRsaSha1({
      method,
      endpoint,
      params: signed,
      privateKey: this.sandbox.signingKey.privateKeyPem,
    })
    return new URLSearchParams({ ...signed, signature }).toString()
  }

  /** Posts a form-encoded IPN to the signer. */
  async postIpn(body: string) {
    const response = await this.request('/ipn', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    })
    return {
      status: response.status,
      json: (await response.json()) as Answer & { result?: string },
    }
  }

  /** An order as its buyer sees it, with the access token from the return. */
  async order(callerReference: string, accessToken: string) {
    const response = await this.request(`/orders/${callerReference}`, {
      headers: { authorization: `Bearer ${accessToken}` },
    })
    return { status: response.status, json: (await response.json()) as Answer }
  }

  /** An order as the merchant sees it, with the admin token: no return needed. */
  orderAsAdmin(callerReference: string) {
    return this.order(callerReference, ADMIN_TOKEN)
  }

  /** Polls an order until `done` holds for it (an IPN or a settlement has arrived). */
  async waitForOrder(
    callerReference: string,
    accessToken: string,
    done: (order: OrderView) => boolean
  ): Promise<OrderView> {
    const deadline = Date.now() + 10_000
    for (;;) {
      const { json } = await this.order(callerReference, accessToken)
      if (json.order && done(json.order)) return json.order
      if (Date.now() > deadline)
        throw new Error(`Order ${callerReference} stayed ${json.order?.status}.`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }

  /** An admin API call. */
  async admin(path: string, body?: unknown) {
    const response = await this.request(`/admin${path}`, {
      method: body === undefined && !path.includes('/orders/') ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    return { status: response.status, json: (await response.json()) as Answer }
  }

  /** The sandbox's transactions under one CallerReference (the ledger's view of an order). */
  transactions(callerReference: string): LedgerTransaction[] {
    return [...this.sandbox.state.transactions.values()]
      .filter((txn) => txn.callerReference.startsWith(callerReference))
      .map(({ id, operation, callerReference, amount, status, parentId }) => ({
        id,
        operation,
        callerReference,
        amount,
        status,
        ...(parentId === undefined ? {} : { parentId }),
      }))
  }

  /** The Pay transactions under a CallerReference and those it starts (a subscription's periods). */
  pays(callerReference: string) {
    return this.transactions(callerReference)
      .filter((txn) => txn.operation === 'Pay')
      .map(({ callerReference, amount, status }) => ({ callerReference, amount, status }))
  }

  /** The types of an order's events, oldest first (the admin API lists them newest first). */
  async eventTypes(callerReference: string): Promise<string[]> {
    const { json } = await this.admin(`/events?callerReference=${callerReference}&limit=100`)
    return ((json as unknown as { events: EventRecord[] }).events ?? [])
      .map((record) => record.event.type)
      .reverse()
  }

  async close(): Promise<void> {
    await this.closeServer()
    await this.signer.close()
    await this.closeSandbox()
    rmSync(this.dir, { recursive: true, force: true })
  }
}

function listen(fetch: (request: Request) => Response | Promise<Response>) {
  return new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(server))
    server.once('error', reject)
  })
}

function close(server: ReturnType<typeof serve>): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve())
    if ('closeAllConnections' in server) server.closeAllConnections()
  })
}
