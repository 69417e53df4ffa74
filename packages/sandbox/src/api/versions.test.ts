import { sign } from '@fps-checkout/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, MARKET, ref, singleUse, startSandbox } from '../../test/harness.js'

let sandbox: Harness
let recipientToken: string
beforeAll(async () => {
  sandbox = await startSandbox()
  recipientToken = await sandbox.token(
    {
      pipelineName: 'Recipient',
      callerReference: ref('seller'),
      returnURL: 'https://market.example/r',
      recipientPaysFee: true,
      maxFixedFee: '1.00',
      maxVariableFee: '5',
    },
    { email: 'erin@buyer.example' },
    MARKET
  )
})
afterAll(() => sandbox.close())

/** Calls an action in a `Version`, signed by hand: the protocol's client speaks only the documented ones. */
async function call(version: string, params: Record<string, string>) {
  const signed = {
    AWSAccessKeyId: MARKET.accessKeyId,
    SignatureVersion: '2',
    SignatureMethod: 'HmacSHA256',
    Timestamp: new Date().toISOString(),
    Version: version,
    ...params,
  }
  const endpoint = `${sandbox.url}/`
  const Signature = sign({
    method: 'GET',
    endpoint,
    params: signed,
    secretKey: MARKET.secretKey,
    signatureMethod: 'HmacSHA256',
  })
  const response = await fetch(`${endpoint}?${new URLSearchParams({ ...signed, Signature })}`)
  return { status: response.status, body: await response.text() }
}

const element = (body: string, name: string) =>
  new RegExp(`<${name}>([^<]*)</${name}>`).exec(body)?.[1]

const verification = (version: string) =>
  call(version, { Action: 'GetRecipientVerificationStatus', RecipientTokenId: recipientToken })

describe('API versions', () => {
  it('answers 2008-09-17 in its namespace, a verified recipient as VerificationComplete', async () => {
    const { status, body } = await verification('2008-09-17')
    expect(status).toBe(200)
    expect(body).toContain(
      '<GetRecipientVerificationStatusResponse xmlns="http://fps.amazonaws.com/doc/2008-09-17/">'
    )
    expect(element(body, 'RecipientVerificationStatus')).toBe('VerificationComplete')
  })

  it('answers 2010-08-28 in its namespace, a verified recipient as VerificationComplete', async () => {
    const { status, body } = await verification('2010-08-28')
    expect(status).toBe(200)
    expect(body).toContain('xmlns="http://fps.amazonaws.com/doc/2010-08-28/"')
    expect(element(body, 'RecipientVerificationStatus')).toBe('VerificationComplete')
  })

  it('answers 2011-09-20 with the 2010-08-28 shapes in its own namespace, and the revised recipient status', async () => {
    const { status, body } = await verification('2011-09-20')
    expect(status).toBe(200)
    expect(body).toContain('xmlns="http://fps.amazonaws.com/doc/2011-09-20/"')
    expect(element(body, 'RecipientVerificationStatus')).toBe('Active')
    const senderToken = await sandbox.token(singleUse('2.00'), {}, MARKET)
    const pay = await call('2011-09-20', {
      Action: 'Pay',
      SenderTokenId: senderToken,
      'TransactionAmount.Value': '2.00',
      'TransactionAmount.CurrencyCode': 'USD',
      CallerReference: ref(),
      OverrideIPNURL: 'http://127.0.0.1:9/ipn',
    })
    expect(pay.body).toMatch(
      /^<\?xml version="1.0"\?>\n<PayResponse xmlns="http:\/\/fps.amazonaws.com\/doc\/2011-09-20\/"><PayResult><TransactionId>[0-9A-Z]{35}<\/TransactionId><TransactionStatus>Success<\/TransactionStatus><\/PayResult><ResponseMetadata><RequestId>[^<]+<\/RequestId><\/ResponseMetadata><\/PayResponse>$/
    )
  })

  it('refuses another version with InvalidParams, a code of FPS’s own error table', async () => {
    const { status, body } = await verification('2007-01-08')
    expect([status, element(body, 'Code')]).toEqual([400, 'InvalidParams'])
    expect(element(body, 'Message')).toBe(
      'Value (2007-01-08) for parameter Version is invalid. Use one of 2008-09-17, 2010-08-28, 2011-09-20.'
    )
  })
})
