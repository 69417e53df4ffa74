import { generateKeyPairSync } from 'node:crypto'
import { buildCbuiUrl, FpsClient, signRsaSha1 } from '@fps-checkout/protocol'
import { TEST_BUYER_PASSWORD } from '@fps-checkout/sandbox'
import { type Harness, type HarnessOptions, newCallerKey } from '@fps-checkout/signer/testing'

/**
 * The attacker of docs/security.md: a developer with a caller account of their own on the same
 * FPS (the sandbox runs several callers), who reads every public page of the FPS origin, knows
 * every callerReference, and sends anything to the signer. FPS signs their returns and IPNs with
 * the very certificate it signs the merchant's with.
 */
export interface Adversary {
  key: { accessKeyId: string; secretKey: string }
  /** The attacker's own FPS client, signing with the attacker's own key. */
  fps: FpsClient
  /**
   * Runs a SingleUse pipeline under the attacker's key with the victim's callerReference and the
   * merchant's return URL, and answers the return FPS signed for it (status SA, or A if cancelled).
   */
  foreignReturn(callerReference: string, options?: { cancel?: boolean }): Promise<string>
  /**
   * Pays the attacker from a test buyer's balance under CallerReference = the victim's, with the
   * notification sent to `ipnUrl` (the merchant's): FPS signs that IPN genuinely.
   */
  foreignPay(callerReference: string, ipnUrl: string, amount?: string): Promise<string>
  /**
   * A URL on the FPS origin whose page shows the attacker's public key: a checkout's review page,
   * the reason being the key's PEM.
   */
  plantedKeyUrl(): Promise<string>
  /** A message signed with the attacker's own RSA key, pointing at `certificateUrl`. */
  forge(
    method: 'GET' | 'POST',
    endpoint: string,
    params: Record<string, string>,
    certificateUrl: string
  ): string
}

/** The account the attacker's key belongs to: apart from the shop's. */
const ATTACKER_ACCOUNT = 'Mallory Developer'
const ATTACKER_RETURN = 'https://attacker.example/return'

/** The harness callers for a merchant and an attacker on one sandbox. */
export function withAdversary(
  merchant: { accessKeyId: string; secretKey: string } = newCallerKey(),
  attacker = newCallerKey()
): { options: HarnessOptions; attacker: typeof attacker } {
  return {
    options: {
      signer: merchant,
      callers: [merchant, { ...attacker, account: ATTACKER_ACCOUNT }],
    },
    attacker,
  }
}

/**
 * The attacker, acting against the merchant whose signer and sandbox `h` runs; `options.fetch`
 * carries the attacker's FPS API calls (a chaos run's, kept clear of the faults it injects).
 */
export function adversary(
  h: Harness,
  key: { accessKeyId: string; secretKey: string },
  options: { fetch?: typeof fetch } = {}
): Adversary {
  const fps = new FpsClient({ ...key, endpoint: `${h.sandboxUrl}/`, maxRetries: 0, ...options })
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 })
  const cbui = (callerReference: string, returnURL: string, paymentReason = 'Mallory') =>
    buildCbuiUrl({
      endpoint: h.signer.config.cbuiUrl,
      ...key,
      request: {
        pipelineName: 'SingleUse',
        callerReference,
        returnURL,
        transactionAmount: '1.00',
        paymentReason,
      },
    })

  return {
    key,
    fps,
    foreignReturn: (callerReference, options = {}) =>
      h.authorize(
        cbui(callerReference, h.signer.config.returnUrl),
        options.cancel ? { cancel: true } : {}
      ),

    async foreignPay(callerReference, ipnUrl, amount = '1.00') {
      const own = `mallory-${callerReference}`
      const query = await h.authorize(cbui(own, ATTACKER_RETURN), { returnUrl: ATTACKER_RETURN })
      const tokenId = new URLSearchParams(query).get('tokenID') ?? ''
      const paid = await fps.call('Pay', {
        SenderTokenId: tokenId,
        TransactionAmount: { Value: amount, CurrencyCode: 'USD' },
        CallerReference: callerReference,
        OverrideIPNURL: ipnUrl,
      })
      return paid.TransactionId ?? ''
    },

    async plantedKeyUrl() {
      const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString()
      // on a line of its own, as a PEM reader wants it
      let response = await fetch(cbui(`mallory-key-${Date.now()}`, ATTACKER_RETURN, `\n${pem}`), {
        redirect: 'manual',
      })
      // sign in and choose a method: the review page shows the reason
      for (const form of [
        { step: 'signin', email: 'alice@buyer.example', password: TEST_BUYER_PASSWORD },
        { step: 'method', method: 'ABT' },
      ]) {
        const page = new URL(response.headers.get('location') ?? '', h.sandboxUrl)
        const action = /<form method="post" action="([^"]+)"/.exec(await (await fetch(page)).text())
        response = await fetch(new URL(action?.[1] ?? '', h.sandboxUrl), {
          method: 'POST',
          redirect: 'manual',
          body: new URLSearchParams({ ...form, intent: 'continue' }),
        })
      }
      const review = new URL(response.headers.get('location') ?? '', h.sandboxUrl).href
      if (!(await (await fetch(review)).text()).includes('BEGIN PUBLIC KEY')) {
        throw new Error('The review page does not show the key.')
      }
      return review
    },

    forge(method, endpoint, params, certificateUrl) {
      const signed = {
        ...params,
        signatureMethod: 'RSA-SHA1',
        signatureVersion: '2',
        certificateUrl,
      }
      const signature = signRsaSha1({ method, endpoint, params: signed, privateKey })
      return new URLSearchParams({ ...signed, signature }).toString()
    },
  }
}
