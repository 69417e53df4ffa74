import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createSigner } from '../app.js'
import { ENVIRONMENT, resolveConfig, settingsFromEnv } from '../config.js'
import { destinationOf } from './destinations.js'

const SECRET = `whsec_${randomBytes(32).toString('base64')}`
const env = {
  FPS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  FPS_SECRET_KEY: 'a-secret-that-must-never-show',
  FPS_RETURN_URL: 'https://shop.example/return',
}
const fromEnv = (extra: Record<string, string>) =>
  resolveConfig(settingsFromEnv({ ...env, ...extra }), ENVIRONMENT)
const tools = { fetch, now: () => new Date() }

describe('where events go', () => {
  it('is a webhook with FPS_WEBHOOK_URL and FPS_WEBHOOK_SECRET, given up after 3 days', () => {
    const config = fromEnv({
      FPS_WEBHOOK_URL: 'https://shop.example/hooks',
      FPS_WEBHOOK_SECRET: SECRET,
    })
    expect(config).toMatchObject({
      webhookUrl: 'https://shop.example/hooks',
      webhookTimeoutMs: 10_000,
    })
    expect(destinationOf(config, { ...tools, onEvent: undefined })).toMatchObject({ givesUp: true })
    expect(destinationOf(fromEnv({}), { ...tools, onEvent: undefined })).toBeUndefined()
    expect(destinationOf(fromEnv({}), { ...tools, onEvent: () => undefined })).toMatchObject({
      givesUp: false,
    })
  })

  it.each([
    [{ FPS_WEBHOOK_URL: 'https://shop.example/hooks' }, 'FPS_WEBHOOK_SECRET: comes as a pair'],
    [{ FPS_WEBHOOK_SECRET: SECRET }, 'FPS_WEBHOOK_SECRET: comes as a pair'],
    [{ FPS_WEBHOOK_URL: 'ftp://shop.example/', FPS_WEBHOOK_SECRET: SECRET }, 'FPS_WEBHOOK_URL:'],
    [
      { FPS_WEBHOOK_URL: 'https://shop.example/', FPS_WEBHOOK_SECRET: SECRET.slice(6) },
      'FPS_WEBHOOK_SECRET: must be whsec_',
    ],
    [
      { FPS_WEBHOOK_URL: 'https://shop.example/', FPS_WEBHOOK_SECRET: 'whsec_c2hvcnQ=' },
      'FPS_WEBHOOK_SECRET: must be whsec_',
    ],
  ])('with %j stops start-up saying %s, never the secret', (extra, message) => {
    let error: unknown
    try {
      fromEnv(extra)
    } catch (thrown) {
      error = thrown
    }
    expect((error as Error).message).toContain(message)
    expect((error as Error).message).not.toContain(SECRET.slice(6, 20))
  })

  it('is one: onEvent and a webhook URL at once stop start-up', () => {
    expect(() =>
      createSigner({
        accessKeyId: 'AKIDEXAMPLE',
        secretKey: 'secret',
        returnUrl: 'https://shop.example/return',
        webhookUrl: 'https://shop.example/hooks',
        webhookSecret: SECRET,
        onEvent: () => undefined,
      })
    ).toThrow(/^onEvent: takes the place of FPS_WEBHOOK_URL/)
  })
})
