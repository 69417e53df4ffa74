import { createHmac } from 'node:crypto'
import { buildCbuiUrl, type CbuiRequest, stringToSign } from '@fps-checkout/protocol'
import { type Figure, sideBySide } from './measure.js'

const accessKeyId = 'AKIAIOSFODNN7EXAMPLE'
const secretKey = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
const endpoint = 'https://authorize.payments-sandbox.amazon.com/cobranded-ui/actions/start'

/** A checkout as a signer builds it: configuration values plus a fresh callerReference per order. */
export const checkout = (order: number): CbuiRequest => ({
  pipelineName: 'SingleUse',
  callerReference: `ord_${order}`,
  returnURL: 'https://shop.example/fps/return?lang=en',
  transactionAmount: '0.90',
  currencyCode: 'USD',
  paymentMethod: 'ABT,ACH,CC',
  paymentReason: 'Now and Forever - Richard Marx',
  cobrandingUrl: 'https://shop.example/logo.png',
  cobrandingStyle: 'logo',
  websiteDescription: 'DigitalDownload',
})

/** CBUI-URL signing (validation, canonical query, HMAC, URL) against a bare HMAC of the same bytes. */
export function signBenchmark(): Figure[] {
  const url = buildCbuiUrl({ accessKeyId, secretKey, endpoint, request: checkout(0) })
  const bytes = stringToSign({
    method: 'GET',
    endpoint,
    params: Object.fromEntries(new URL(url).searchParams),
  })
  let order = 0
  const measured = sideBySide(
    () => buildCbuiUrl({ accessKeyId, secretKey, endpoint, request: checkout(++order) }),
    () => createHmac('sha256', secretKey).update(bytes).digest('base64')
  )
  return [
    {
      name: 'cbui_sign_ops',
      value: measured.a,
      unit: 'ops/s',
      note: 'buildCbuiUrl, SingleUse, 10 parameters, a new callerReference each',
    },
    {
      name: 'raw_hmac_ops',
      value: measured.b,
      unit: 'ops/s',
      note: `createHmac sha256 over the same ${bytes.length} bytes`,
    },
    { name: 'sign_ratio', value: measured.ratio, unit: 'ratio', target: { op: '>=', value: 0.4 } },
  ]
}
