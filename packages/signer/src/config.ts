import { existsSync } from 'node:fs'
import { CBUI_ENDPOINTS } from '@fps-checkout/protocol'
import { z } from 'zod'
import { ConfigError } from './errors.js'
import { webhookKey } from './events/signature.js'
import { type Catalog, type CatalogInput, loadCatalog, parseCatalog } from './policy/catalog.js'
import { logoSource } from './policy/logo.js'

/** Where FPS runs: the local sandbox emulator, Amazon's historic sandbox, or production. */
export type FpsTarget = 'local' | 'sandbox' | 'production'

const API_ENDPOINTS = {
  production: 'https://fps.amazonaws.com/',
  sandbox: 'https://fps.sandbox.amazonaws.com/',
  local: 'http://127.0.0.1:8910/',
} as const satisfies Record<FpsTarget, string>

const httpUrl = z.string().refine(isHttpUrl, 'must be an absolute http(s) URL')
const origin = z.string().refine((value) => isHttpUrl(value) && new URL(value).origin === value, {
  message: 'must list origins like https://shop.example (scheme, host, port; no path)',
})
const logoEntry = z.string().refine((entry) => logoSource(entry) !== undefined, {
  message:
    'must list host names like cdn.shop.example (no port) or URL prefixes ending in / like https://cdn.shop.example/brand/',
})
const databaseUrl = z.string().regex(/^(file:|postgres(ql)?:\/\/)/, {
  message: 'must be a file: URL (SQLite) or a postgres:// URL',
})
const duration = z.number().int().positive()
/** A per-client limit: `limit` in each `windowMs`, by default `limit` a minute. */
const perMinute = (limit: number) =>
  z.strictObject({ limit: duration, windowMs: duration }).default({ limit, windowMs: 60_000 })

const settingsSchema = z
  .strictObject({
    accessKeyId: z.string().min(1, 'is required'),
    secretKey: z.string().min(1, 'is required'),
    previousAccessKeyId: z.string().min(1).optional(),
    previousSecretKey: z.string().min(1).optional(),
    target: z.enum(['local', 'sandbox', 'production']).default('local'),
    apiUrl: httpUrl.optional(),
    cbuiUrl: httpUrl.optional(),
    returnUrl: httpUrl,
    ipnUrl: httpUrl.optional(),
    catalog: z.union([z.string().min(1), z.custom<CatalogInput>(isObject)]).optional(),
    allowedOrigins: z.array(origin).default([]),
    logoHosts: z.array(logoEntry).default([]),
    capture: z.enum(['pay', 'reserve']).default('pay'),
    adminToken: z.string().min(16, 'must be at least 16 characters').optional(),
    databaseUrl: databaseUrl.default('file:fps-signer.db'),
    verification: z.enum(['certificate', 'api']).default('certificate'),
    websiteDescription: z.string().min(1).max(256).optional(),
    paymentMethods: z
      .string()
      .regex(/^(ABT|ACH|CC)(,(ABT|ACH|CC))*$/)
      .optional(),
    checkoutTtlMs: duration.default(60 * 60_000),
    recoverAfterMs: duration.default(5 * 60_000),
    leaseMs: duration.default(30_000),
    answerWithinMs: duration.default(10_000),
    maxRetries: z.number().int().min(0).max(10).default(3),
    bodyLimitBytes: duration.default(32 * 1024),
    checkoutRateLimit: perMinute(30),
    returnRateLimit: perMinute(30),
    authFailureLimit: perMinute(10),
    refundWindowDays: z
      .number({ error: 'must be a whole number of days' })
      .int('must be a whole number of days')
      .min(1, 'must be at least 1 day')
      .optional(),
    webhookUrl: httpUrl.optional(),
    webhookSecret: z
      .string()
      .refine((secret) => webhookKey(secret) !== undefined, {
        message: 'must be whsec_ and the base64 of 24 to 64 bytes (a Standard Webhooks secret)',
      })
      .optional(),
    webhookTimeoutMs: duration.default(10_000),
  })
  .refine((s) => (s.previousAccessKeyId === undefined) === (s.previousSecretKey === undefined), {
    path: ['previousSecretKey'],
    message: 'comes as a pair with previousAccessKeyId',
  })
  .refine((s) => (s.webhookUrl === undefined) === (s.webhookSecret === undefined), {
    path: ['webhookSecret'],
    message: 'comes as a pair with the webhook URL: webhooks are always signed',
  })

/** The signer's settings as a merchant passes them to `createApp` (or sets them in the environment). */
export type SignerSettings = z.input<typeof settingsSchema>

/** An FPS access key pair. */
export interface KeyPair {
  accessKeyId: string
  secretKey: string
}

/** Settings after validation, with endpoints resolved and the catalog loaded. */
export interface SignerConfig
  extends Omit<
    z.output<typeof settingsSchema>,
    'accessKeyId' | 'secretKey' | 'previousAccessKeyId' | 'previousSecretKey' | 'catalog'
  > {
  /** The pair that signs everything new first, then the previous pair during a rotation. */
  keys: [KeyPair, ...KeyPair[]]
  apiUrl: string
  cbuiUrl: string
  /** Outbound signatures are trusted only with certificates under these URLs: the API's `/certs/`. */
  certificatePrefixes: string[]
  /**
   * The origins whose pages may call the signer, all known from its settings: the listed ones,
   * the shop's return page (the `returnUrl`, whose `<fps-return>` posts to the signer) and the
   * signer's own address (the `ipnUrl`). Never the request's `Host`: a misconfigured proxy or a
   * rebound DNS name lets an attacker choose it, and any origin would then be "same-origin".
   */
  trustedOrigins: string[]
  catalog: Catalog | undefined
}

/** Each setting's environment variable, for the messages that name it. */
export const ENVIRONMENT = {
  accessKeyId: 'FPS_ACCESS_KEY_ID',
  secretKey: 'FPS_SECRET_KEY',
  previousAccessKeyId: 'FPS_PREVIOUS_ACCESS_KEY_ID',
  previousSecretKey: 'FPS_PREVIOUS_SECRET_KEY',
  target: 'FPS_TARGET',
  apiUrl: 'FPS_API_URL',
  cbuiUrl: 'FPS_CBUI_URL',
  returnUrl: 'FPS_RETURN_URL',
  ipnUrl: 'FPS_IPN_URL',
  catalog: 'FPS_CATALOG',
  allowedOrigins: 'FPS_ALLOWED_ORIGINS',
  logoHosts: 'FPS_LOGO_HOSTS',
  capture: 'FPS_CAPTURE',
  adminToken: 'FPS_ADMIN_TOKEN',
  databaseUrl: 'DATABASE_URL',
  verification: 'FPS_VERIFICATION',
  refundWindowDays: 'FPS_REFUND_WINDOW_DAYS',
  webhookUrl: 'FPS_WEBHOOK_URL',
  webhookSecret: 'FPS_WEBHOOK_SECRET',
} as const satisfies Partial<Record<keyof SignerSettings, string>>

const LISTS = new Set<string>(['allowedOrigins', 'logoHosts'])
const NUMBERS = new Set<string>(['refundWindowDays'])

/**
 * Loads `.env` from the working directory into `process.env` when there is one; variables already
 * set win. A second load changes nothing, so every reader of a setting may call it first.
 */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path)
}

/**
 * Reads the settings from environment variables, after loading `.env` (see `loadDotEnv`) when
 * they are the process's own.
 */
export function settingsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  dotEnv = '.env'
): SignerSettings {
  if (env === process.env) loadDotEnv(dotEnv)
  const settings: Record<string, unknown> = {}
  for (const [key, name] of Object.entries(ENVIRONMENT)) {
    const value = env[name]?.trim()
    if (!value) continue
    settings[key] = LISTS.has(key)
      ? value
          .split(',')
          .map((part) => part.trim())
          .filter(Boolean)
      : NUMBERS.has(key) && /^\d+$/.test(value)
        ? Number(value)
        : value
  }
  return settings as SignerSettings
}

/**
 * Validates settings and resolves endpoints and the catalog. A problem throws a `ConfigError`
 * whose one-line message names the setting (by its environment variable when `names` says so).
 */
export function resolveConfig(
  settings: SignerSettings,
  names: Partial<Record<string, string>> = {}
): SignerConfig {
  const result = settingsSchema.safeParse(settings)
  if (!result.success) {
    const issue = result.error.issues[0]!
    const key = String(issue.path[0] ?? 'settings')
    const problem = /received undefined$/.test(issue.message) ? 'is required' : issue.message
    throw new ConfigError(names[key] ?? key, problem)
  }
  const { accessKeyId, secretKey, previousAccessKeyId, previousSecretKey, catalog, ...rest } =
    result.data
  const keys: SignerConfig['keys'] = [{ accessKeyId, secretKey }]
  if (previousAccessKeyId && previousSecretKey) {
    keys.push({ accessKeyId: previousAccessKeyId, secretKey: previousSecretKey })
  }
  const apiUrl = rest.apiUrl ?? API_ENDPOINTS[rest.target]
  const cbuiUrl =
    rest.cbuiUrl ??
    (rest.target === 'local'
      ? new URL('/cobranded-ui/actions/start', apiUrl).href
      : CBUI_ENDPOINTS[rest.target])
  return {
    ...rest,
    keys,
    apiUrl,
    cbuiUrl,
    // FPS served its certificates under /certs/; the rest of the origin (CBUI pages that quote
    // what a buyer or merchant typed) must never pass for one
    certificatePrefixes: [new URL('/certs/', apiUrl).href],
    trustedOrigins: [
      ...new Set([
        ...rest.allowedOrigins,
        ...[rest.returnUrl, rest.ipnUrl].flatMap((url) => (url ? [new URL(url).origin] : [])),
      ]),
    ],
    catalog: readCatalog(catalog, names.catalog ?? 'catalog'),
  }
}

function readCatalog(
  catalog: string | CatalogInput | undefined,
  name: string
): Catalog | undefined {
  if (catalog === undefined) return undefined
  try {
    return typeof catalog === 'string' ? loadCatalog(catalog) : parseCatalog(catalog)
  } catch (error) {
    throw new ConfigError(name, (error as Error).message)
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return url.protocol === 'https:' || url.protocol === 'http:'
  } catch {
    return false
  }
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null
}
