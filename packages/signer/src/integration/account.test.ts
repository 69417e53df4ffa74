import type { AccountView, ActivityEntry, ActivityPage } from '@fps-checkout/signer/http'
import { ADMIN_TOKEN, Harness } from '@fps-checkout/signer/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

let h: Harness
/** The sandbox's clock stands still, so every transaction is received at one instant. */
const instant = new Date()
const since = new Date(instant.getTime() - 60_000).toISOString()

beforeAll(async () => {
  h = await Harness.start({ sandbox: { now: () => instant } })
})
afterAll(() => h?.close())

async function paid(amount: string) {
  const { json } = await h.checkout({ amount, reason: 'Account' })
  const back = await h.returnWith(await h.authorize(json.url!))
  expect(back.json.order?.status).toBe('success')
  return json.callerReference!
}

async function get<T>(path: string, token = ADMIN_TOKEN) {
  const response = await h.request(`/admin${path}`, {
    headers: { authorization: `Bearer ${token}` },
  })
  return { status: response.status, json: (await response.json()) as T & Partial<ErrorBody> }
}

interface ErrorBody {
  error: { code: string; message: string }
}

describe("the merchant's FPS account", () => {
  it('answers the balance FPS reports, in exact decimal strings', async () => {
    const before = await get<{ account: AccountView }>('/account')
    await paid('1.25')
    const after = await get<{ account: AccountView }>('/account')
    expect(after.status).toBe(200)
    expect(after.json.account).toMatchObject({ currencyCode: 'USD', pendingOut: '0.00' })
    const cents = (amount: string) => Math.round(Number(amount) * 100)
    expect(cents(after.json.account.disburse) - cents(before.json.account.disburse)).toBe(125)
    expect(after.json.account.refund).toBe(after.json.account.disburse)
  })

  it('pages through the activity oldest first, none twice, none left out, at one instant', async () => {
    const references = [await paid('2.00'), await paid('3.00'), await paid('4.00')]
    const seen: ActivityEntry[] = []
    let cursor: string | undefined
    for (let pages = 0; pages < 20; pages++) {
      const query = new URLSearchParams({ from: since, limit: '2', ...(cursor ? { cursor } : {}) })
      const { status, json } = await get<ActivityPage>(`/activity?${query}`)
      expect(status).toBe(200)
      expect(json.transactions.length).toBeLessThanOrEqual(2)
      seen.push(...json.transactions)
      cursor = json.next
      if (!cursor) break
    }
    expect(cursor).toBeUndefined()
    const ids = seen.map((entry) => entry.transactionId)
    expect(new Set(ids).size).toBe(ids.length)
    for (const [index, callerReference] of references.entries()) {
      expect(seen).toContainEqual(
        expect.objectContaining({
          callerReference,
          operation: 'Pay',
          status: 'Success',
          amount: `${index + 2}.00`,
          currencyCode: 'USD',
          receivedAt: expect.any(String),
        })
      )
    }
  })

  it('keeps to the date range', async () => {
    const before = new Date(instant.getTime() - 1).toISOString()
    const { json } = await get<ActivityPage>(
      `/activity?from=2001-01-01&to=${encodeURIComponent(before)}`
    )
    expect(json).toEqual({ transactions: [] })
  })

  it('needs the admin token, and says how to ask', async () => {
    for (const path of ['/account', `/activity?from=${since}`]) {
      const { status, json } = await get(path, 'not-the-admin-token-at-all')
      expect({ status, code: json.error?.code }).toEqual({ status: 401, code: 'unauthorized' })
    }
    for (const query of ['', 'from=yesterday', `from=${since}&limit=101`, 'from=2026-01-01&x=1']) {
      const { status, json } = await get(`/activity?${query}`)
      expect({ status, code: json.error?.code }).toEqual({ status: 400, code: 'invalid_request' })
    }
    const forged = await get(`/activity?from=${since}&cursor=bm90LWEtY3Vyc29y`)
    expect(forged.json.error?.message).toMatch(/cursor/)
  })
})
