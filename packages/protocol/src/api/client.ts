import { FpsError } from '../errors.js'
import type { SignatureMethod } from '../signature/sigv2.js'
import { parseXml } from '../xml/parser.js'
import { element, isRetriable, parseErrorBody, text } from './fps-errors.js'
import {
  actionParams,
  flattenParams,
  type PreparedRequest,
  resolveApiEndpoint,
  signRequest,
} from './request.js'
import type { ActionName, ApiVersion, RequestOf, ResultOf } from './types.js'

/** How a client reaches FPS and signs its calls. */
export interface FpsClientOptions {
  accessKeyId: string
  secretKey: string
  /** `production`, `sandbox` (the historic Amazon URLs), or the base URL of the local sandbox. */
  endpoint: 'production' | 'sandbox' | (string & {})
  version?: ApiVersion
  signatureMethod?: SignatureMethod
  fetch?: typeof fetch
  /** Retries after a network failure, a 500 or a 503; the official clients used 3. */
  maxRetries?: number
  /** The pause before retry `attempt` (1-based); the official clients waited 4^n × 100 ms. */
  retryDelayMs?: (attempt: number) => number
  timeoutMs?: number
  now?: () => Date
}

/**
 * A client for the FPS API. Every call is prepared (signed, serialisable) and then sent; retries
 * resend the identical bytes, so FPS's CallerReference idempotency makes them safe.
 */
export class FpsClient {
  readonly #options: Required<Omit<FpsClientOptions, 'endpoint'>> & { url: string }

  constructor(options: FpsClientOptions) {
    this.#options = {
      version: '2010-08-28',
      signatureMethod: 'HmacSHA256',
      fetch: globalThis.fetch,
      maxRetries: 3,
      retryDelayMs: (attempt) => 4 ** attempt * 100,
      timeoutMs: 30_000,
      now: () => new Date(),
      ...options,
      url: resolveApiEndpoint(options.endpoint),
    }
  }

  /** Signs a call without sending it, so it can be stored first. */
  prepare<A extends ActionName>(action: A, params: RequestOf<A>): PreparedRequest & { action: A } {
    return signRequest(
      this.#options.url,
      action,
      flattenParams(params),
      this.#options,
      this.#options.now()
    ) as PreparedRequest & { action: A }
  }

  /**
   * Re-signs a stored request with a fresh Timestamp and this client's current key, keeping every
   * action parameter (and so its CallerReference) identical: for a resend older than FPS's
   * Timestamp window, or after a key rotation.
   */
  refresh<A extends ActionName>(
    prepared: PreparedRequest & { action: A }
  ): PreparedRequest & { action: A } {
    return signRequest(
      prepared.url,
      prepared.action,
      actionParams(prepared),
      this.#options,
      this.#options.now()
    ) as PreparedRequest & { action: A }
  }

  /** Sends a prepared request, retrying network failures, 500 and 503 with the same bytes. */
  async send<A extends ActionName>(
    prepared: PreparedRequest & { action: A }
  ): Promise<ResultOf<A>> {
    const { maxRetries, retryDelayMs } = this.#options
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, retryDelayMs(attempt)))
      let response: Response
      try {
        response = await this.#post(prepared)
      } catch (cause) {
        if (attempt < maxRetries) continue
        throw new FpsError(
          {
            code: 'NetworkFailure',
            message: `FPS could not be reached for ${prepared.action}.`,
            retriable: true,
          },
          { cause }
        )
      }
      const body = await response.text()
      if ((response.status === 500 || response.status === 503) && attempt < maxRetries) continue
      return readResponse(prepared.action, response.status, body)
    }
  }

  /** Prepares and sends in one step. */
  call<A extends ActionName>(action: A, params: RequestOf<A>): Promise<ResultOf<A>> {
    return this.send(this.prepare(action, params))
  }

  pay = (params: RequestOf<'Pay'>) => this.call('Pay', params)
  reserve = (params: RequestOf<'Reserve'>) => this.call('Reserve', params)
  settle = (params: RequestOf<'Settle'>) => this.call('Settle', params)
  refund = (params: RequestOf<'Refund'>) => this.call('Refund', params)
  cancel = (params: RequestOf<'Cancel'>) => this.call('Cancel', params)
  cancelToken = (params: RequestOf<'CancelToken'>) => this.call('CancelToken', params)
  getTransactionStatus = (params: RequestOf<'GetTransactionStatus'>) =>
    this.call('GetTransactionStatus', params)
  getTransaction = (params: RequestOf<'GetTransaction'>) => this.call('GetTransaction', params)
  getTokenByCaller = (params: RequestOf<'GetTokenByCaller'>) =>
    this.call('GetTokenByCaller', params)
  getTokens = (params: RequestOf<'GetTokens'> = {}) => this.call('GetTokens', params)
  getTokenUsage = (params: RequestOf<'GetTokenUsage'>) => this.call('GetTokenUsage', params)
  getAccountBalance = () => this.call('GetAccountBalance', {})
  getAccountActivity = (params: RequestOf<'GetAccountActivity'>) =>
    this.call('GetAccountActivity', params)
  getRecipientVerificationStatus = (params: RequestOf<'GetRecipientVerificationStatus'>) =>
    this.call('GetRecipientVerificationStatus', params)
  verifySignature = (params: RequestOf<'VerifySignature'>) => this.call('VerifySignature', params)
  fundPrepaid = (params: RequestOf<'FundPrepaid'>) => this.call('FundPrepaid', params)
  getPrepaidBalance = (params: RequestOf<'GetPrepaidBalance'>) =>
    this.call('GetPrepaidBalance', params)
  getTotalPrepaidLiability = () => this.call('GetTotalPrepaidLiability', {})
  settleDebt = (params: RequestOf<'SettleDebt'>) => this.call('SettleDebt', params)
  writeOffDebt = (params: RequestOf<'WriteOffDebt'>) => this.call('WriteOffDebt', params)
  getDebtBalance = (params: RequestOf<'GetDebtBalance'>) => this.call('GetDebtBalance', params)
  getOutstandingDebtBalance = () => this.call('GetOutstandingDebtBalance', {})

  #post(prepared: PreparedRequest): Promise<Response> {
    return this.#options.fetch(prepared.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: prepared.body,
      signal: AbortSignal.timeout(this.#options.timeoutMs),
    })
  }
}

function readResponse<A extends ActionName>(
  action: A,
  httpStatus: number,
  body: string
): ResultOf<A> {
  if (httpStatus === 200) {
    const root = element(safeParse(body)?.[`${action}Response`])
    if (root) {
      const requestId = text(element(root.ResponseMetadata)?.RequestId) ?? ''
      return { ...element(root[`${action}Result`]), requestId } as ResultOf<A>
    }
  }
  throw (
    parseErrorBody(body, httpStatus) ??
    new FpsError({
      code: 'MalformedResponse',
      message: `FPS answered ${action} with HTTP ${httpStatus} and a body that is not an FPS response.`,
      httpStatus,
      retriable: isRetriable('', httpStatus),
    })
  )
}

function safeParse(body: string) {
  try {
    return parseXml(body)
  } catch {
    return undefined
  }
}
