import { randomBytes } from 'node:crypto'
import { WebhookVerificationError as PackageError, Webhook } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import { signWebhook, verifyWebhook, WebhookVerificationError, webhookKey } from './signature.js'

const SECRET = `whsec_${randomBytes(32).toString('base64')}`
const BODY = JSON.stringify({
  id: 'evt_1',
  type: 'order.paid',
  timestamp: '2030-01-01T00:00:00.000Z',
})

describe('Standard Webhooks signatures', () => {
  it('are what the standardwebhooks package verifies, and it signs what verifyWebhook verifies', () => {
    const webhook = new Webhook(SECRET)
    const now = new Date()
    const ours = signWebhook(webhookKey(SECRET)!, 'evt_1', now, BODY)
    expect(webhook.verify(BODY, { ...ours })).toEqual(JSON.parse(BODY))
    const theirs = {
      'webhook-id': 'msg_2',
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': webhook.sign('msg_2', now, BODY),
    }
    expect(theirs['webhook-signature']).toBe(
      signWebhook(webhookKey(SECRET)!, 'msg_2', now, BODY)['webhook-signature']
    )
    expect(verifyWebhook(SECRET, theirs, BODY)).toEqual(JSON.parse(BODY))
    expect(verifyWebhook(SECRET, new Headers(theirs), Buffer.from(BODY))).toEqual(JSON.parse(BODY))
  })

  it('find a valid signature among several, and take Node’s header arrays', () => {
    const now = new Date()
    const signed = signWebhook(webhookKey(SECRET)!, 'evt_1', now, BODY)
    const rotated = {
      ...signed,
      'webhook-signature': [
        `v1,${randomBytes(32).toString('base64')} ${signed['webhook-signature']}`,
      ],
    }
    expect(verifyWebhook(SECRET, rotated, BODY)).toMatchObject({ id: 'evt_1' })
  })

  it('refuse a changed body, another secret, an old timestamp or a missing header, saying which', () => {
    const now = new Date('2030-01-01T00:00:00.000Z')
    const signed = signWebhook(webhookKey(SECRET)!, 'evt_1', now, BODY)
    const refused = (run: () => unknown, message: RegExp) => {
      let error: unknown
      try {
        run()
      } catch (thrown) {
        error = thrown
      }
      expect(error).toBeInstanceOf(WebhookVerificationError)
      expect(error).toMatchObject({ code: 'signature_invalid', status: 403 })
      expect((error as Error).message).toMatch(message)
    }
    refused(() => verifyWebhook(SECRET, signed, `${BODY} `, { now }), /No v1 signature .* matches/)
    const other = `whsec_${randomBytes(32).toString('base64')}`
    refused(() => verifyWebhook(other, signed, BODY, { now }), /secret is not the sender/)
    const later = new Date(now.getTime() + 301_000)
    refused(() => verifyWebhook(SECRET, signed, BODY, { now: later }), /not within 300 s of now/)
    const { 'webhook-id': _, ...unnamed } = signed
    refused(() => verifyWebhook(SECRET, unnamed, BODY, { now }), /lacks its webhook-id/)
    expect(() => new Webhook(SECRET).verify(BODY, signed)).toThrow(PackageError)
    expect(() => verifyWebhook('whsec_short', signed, BODY, { now })).toThrow(
      /secret: must be whsec_/
    )
  })
})
