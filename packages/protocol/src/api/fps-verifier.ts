import { SignatureError } from '../errors.js'
import type { OutboundVerifier } from '../outbound/verifier.js'
import { encodeRfc3986 } from '../signature/encoding.js'
import type { FpsClient } from './client.js'

/**
 * Verifies returns and IPNs by asking FPS (the `VerifySignature` action) instead of checking the RSA
 * signature locally: no certificate handling, one API call per message.
 */
export function createFpsVerifier(client: FpsClient): OutboundVerifier {
  return {
    async verify({ endpoint, params }) {
      const url = new URL(endpoint)
      const HttpParameters = Object.entries(params)
        .map(([name, value]) => `${encodeRfc3986(name)}=${encodeRfc3986(value)}`)
        .join('&')
      const { VerificationStatus } = await client.verifySignature({
        UrlEndPoint: `${url.origin}${url.pathname}`,
        HttpParameters,
      })
      if (VerificationStatus !== 'Success')
        throw new SignatureError('FPS did not verify the signature.')
    },
  }
}
