import { sign } from '@fps-checkout/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, SHOP, startSandbox } from '../../test/harness.js'

let sandbox: Harness
beforeAll(async () => {
  sandbox = await startSandbox()
})
afterAll(() => sandbox.close())

/** A GetAccountBalance signed by hand, so each test can break one part of it. */
function signedParams(
  overrides: Record<string, string | undefined> = {},
  endpoint = `${sandbox.url}/`,
  method: 'GET' | 'POST' = 'GET'
) {
  const merged = {
    Action: 'GetAccountBalance',
    AWSAccessKeyId: SHOP.accessKeyId,
    SignatureVersion: '2',
    SignatureMethod: 'HmacSHA256',
    Timestamp: new Date().toISOString(),
    Version: '2010-08-28',
    ...overrides,
  }
  const params = Object.fromEntries(
    Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined)
  )
  return {
    ...params,
    Signature: sign({
      method,
      endpoint,
      params,
      secretKey: SHOP.secretKey,
      signatureMethod: params.SignatureMethod === 'HmacSHA1' ? 'HmacSHA1' : 'HmacSHA256',
    }),
  }
}

async function get(params: Record<string, string>) {
  const response = await fetch(`${sandbox.url}/?${new URLSearchParams(params)}`)
  return { status: response.status, body: await response.text() }
}

const code = (body: string) => /<Code>([^<]+)<\/Code>/.exec(body)?.[1]

describe('API authentication', () => {
  it('answers a signed GET in the namespace of the requested version', async () => {
    for (const version of ['2010-08-28', '2008-09-17']) {
      const { status, body } = await get(signedParams({ Version: version }))
      expect(status).toBe(200)
      expect(body).toContain(
        `<GetAccountBalanceResponse xmlns="http://fps.amazonaws.com/doc/${version}/">`
      )
    }
  })

  it('accepts HmacSHA1, a timestamp with an offset and no millis, and a host signed without the port', async () => {
    expect((await get(signedParams({ SignatureMethod: 'HmacSHA1' }))).status).toBe(200)
    const offset = new Date().toISOString().replace(/\.\d{3}Z$/, '-00:00')
    expect((await get(signedParams({ Timestamp: offset }))).status).toBe(200)
    const portless = signedParams({}, 'http://127.0.0.1/')
    expect((await get(portless)).status).toBe(200)
  })

  it('refuses a wrong signature, an unknown key and an expired or malformed timestamp', async () => {
    const tampered = { ...signedParams(), Version: '2008-09-17' }
    expect(await get(tampered)).toMatchObject({ status: 403 })
    expect(code((await get(tampered)).body)).toBe('SignatureDoesNotMatch')
    const unknown = await get(signedParams({ AWSAccessKeyId: 'AKIANOBODY0000000000' }))
    expect([unknown.status, code(unknown.body)]).toEqual([403, 'InvalidClientTokenId'])
    const old = await get(
      signedParams({ Timestamp: new Date(Date.now() - 16 * 60_000).toISOString() })
    )
    expect([old.status, code(old.body)]).toEqual([400, 'RequestExpired'])
    expect(old.body).toContain('Request has expired. Timestamp date is')
    const future = await get(
      signedParams({ Timestamp: new Date(Date.now() + 16 * 60_000).toISOString() })
    )
    expect(code(future.body)).toBe('RequestExpired')
    const malformed = await get(signedParams({ Timestamp: '2010-02-26 T19:48:05.000Z' }))
    expect(code(malformed.body)).toBe('InvalidParameterValue')
  })

  it('honours Expires instead of Timestamp, and refuses both at once', async () => {
    const later = new Date(Date.now() + 60_000).toISOString()
    expect((await get(signedParams({ Timestamp: undefined, Expires: later }))).status).toBe(200)
    const past = await get(
      signedParams({ Timestamp: undefined, Expires: new Date(Date.now() - 1000).toISOString() })
    )
    expect(code(past.body)).toBe('RequestExpired')
    expect(code((await get(signedParams({ Expires: later }))).body)).toBe('InvalidParams')
  })

  it('refuses an unknown action with the FPS error form', async () => {
    const action = await get(signedParams({ Action: 'Teleport' }))
    expect(code(action.body)).toBe('InvalidRequest')
    expect(action.body).toMatch(
      /^<\?xml version="1.0"\?>\n<Response><Errors><Error><Code>InvalidRequest<\/Code><Message>[^<]+<\/Message><\/Error><\/Errors><RequestID>[0-9a-f-]{36}<\/RequestID><\/Response>$/
    )
  })

  it('refuses OverrideIPNURL under 2008-09-17, which did not have it', async () => {
    const client = sandbox.client(SHOP, { version: '2008-09-17' })
    await expect(
      client.cancelToken({ TokenId: 'ABC', OverrideIPNURL: 'http://127.0.0.1/ipn' })
    ).rejects.toMatchObject({ code: 'InvalidRequest' })
  })

  it('answers unparseable input with an FPS error, never a stack trace', async () => {
    const response = await fetch(`${sandbox.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=Pay&Action=Pay',
    })
    const body = await response.text()
    expect([response.status, code(body)]).toEqual([400, 'InvalidRequest'])
    expect(body).not.toContain(' at ')
  })
})
