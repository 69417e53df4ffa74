import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { acceptRefusals, screenshot, watchedPage } from './browser.js'
import { chooseMethod, returnUrlAfter, signIn, startCheckout } from './cbui.js'
import { useShop } from './shop-fixture.js'
import { callerReferenceOf } from './stack.js'

const shop = useShop()

/** The token FPS installed for a checkout: the one its CallerReference names. */
function tokenOf(reference: string) {
  const token = [...shop.stack.sandbox.sandbox.state.tokens.values()].find(
    (t) => t.callerReference === reference
  )
  if (!token) throw new Error(`No token was installed for ${reference}`)
  return token
}

/** Every Pay in the sandbox's ledger (with the token, if given), in the order they were made. */
function paysWith(tokenId?: string) {
  return [...shop.stack.sandbox.sandbox.state.transactions.values()]
    .filter((t) => t.operation === 'Pay' && (tokenId === undefined || t.senderTokenId === tokenId))
    .map(({ callerReference, amount, status }) => ({ callerReference, amount, status }))
}

/** What the shop page says is left of the browser's song credits. */
function creditsLeft(page: Page) {
  return page.locator('.credits-left[data-allowance="song-credits"]')
}

/** The download link beside `<fps-order>`. */
function downloadLink(page: Page) {
  return page.locator('#download').getByRole('link', { name: /^Download / })
}

/**
 * Authorizes $20.00 of song credits with a song, on the payment pages (the song is paid from them
 * once the buyer is back); answers the return URL, which names the order that asked for them.
 */
async function authorize(page: Page, item: string): Promise<string> {
  await startCheckout(page, item)
  await signIn(page, 'alice@buyer.example')
  await chooseMethod(page, 'ABT')
  await page.getByText('asks you to authorize payments of up to $20.00 in total.').waitFor()
  const confirm = () => page.getByRole('button', { name: 'Continue' }).click()
  const returnUrl = await returnUrlAfter(page, confirm)
  await page.getByText('Payment complete').waitFor()
  return returnUrl
}

/**
 * Buys a song from the shop page in one click: the checkout goes straight to the return page,
 * and no request reaches the payment pages (the sandbox's origin). Answers the song's order.
 */
async function buyInOneClick(page: Page, item: string): Promise<string> {
  await page.goto(`${shop.stack.shopUrl}/`)
  await creditsLeft(page)
    .getByText(/^Song credits left:/)
    .waitFor()
  const sandbox: string[] = []
  const watch = (request: { url(): string }) => {
    if (request.url().startsWith(shop.stack.sandbox.url)) sandbox.push(request.url())
  }
  page.on('request', watch)
  const returnUrl = await returnUrlAfter(page, () =>
    page.locator(`fps-buy-button[item="${item}"]`).getByRole('button').click()
  )
  await page.getByText('Payment complete').waitFor()
  page.off('request', watch)
  expect(sandbox).toEqual([])
  return callerReferenceOf(returnUrl)
}

describe('song credits', () => {
  it('are authorized once with the first song; three songs (one of them twice) follow in one click each, each delivered, until the next would pass the $20.00 limit and goes back to the payment pages; credits revoked send the next song there too', async () => {
    const page = await shop.open()
    await creditsLeft(page).getByText('No song credits in this browser yet.').waitFor()
    const first = callerReferenceOf(await authorize(page, 'rush-street'))
    const token = tokenOf(first)
    expect(token).toMatchObject({ pipeline: 'MultiUse', globalAmountLimit: 2000 })

    // the same song twice in one tab is two purchases: a one-click return ends the attempt
    const songs = [
      ['satisfied', 'Download Satisfied - Richard Marx'],
      ['hazard', 'Download Hazard - Richard Marx'],
      ['satisfied', 'Download Satisfied - Richard Marx'],
    ] as const
    const bought: string[] = []
    for (const [item, download] of songs) {
      bought.push(await buyInOneClick(page, item))
      await expect(downloadLink(page).textContent()).resolves.toBe(download)
    }
    expect(new Set(bought).size).toBe(3)
    expect(paysWith(token.id)).toEqual([
      { callerReference: first, amount: 999, status: 'Success' },
      ...bought.map((callerReference) => ({ callerReference, amount: 99, status: 'Success' })),
    ])

    // $12.96 spent: the $9.99 album would pass the limit, so the buyer authorizes anew
    await page.goto(`${shop.stack.shopUrl}/`)
    await creditsLeft(page).getByText('Song credits left: $7.04 of $20.00.').waitFor()
    await screenshot(page, 'shop-credits-left')
    const renewed = callerReferenceOf(await authorize(page, 'wilson-phillips'))
    const next = tokenOf(renewed)
    expect(next).toMatchObject({ pipeline: 'MultiUse', globalAmountLimit: 2000 })
    expect(next.id).not.toBe(token.id)
    expect(paysWith(next.id)).toEqual([
      { callerReference: renewed, amount: 999, status: 'Success' },
    ])
    expect(paysWith(token.id)).toHaveLength(4)

    // the buyer revokes the new credits: FPS cancels the token, and the next song authorizes anew
    await page.goto(`${shop.stack.shopUrl}/`)
    await creditsLeft(page).getByText('Song credits left: $10.01 of $20.00.').waitFor()
    await creditsLeft(page).getByRole('button', { name: 'Revoke song credits' }).click()
    await creditsLeft(page)
      .getByText('Your song credits were revoked: your next song here authorizes new credits.')
      .waitFor()
    expect(tokenOf(renewed).status).toBe('Inactive')
    await startCheckout(page, 'hazard')
    expect(paysWith(next.id)).toHaveLength(1)
  })
})

describe('another buyer', () => {
  it("cannot charge someone else's song credits: without the holder's cookie, with the holder's return replayed, with a made-up cookie or naming the token, every song goes to the payment pages, the revoke is refused, and the token pays nothing more", async () => {
    const page = await shop.open()
    const returnUrl = await authorize(page, 'satisfied')
    const allowance = callerReferenceOf(returnUrl)
    const token = tokenOf(allowance)
    expect(paysWith(token.id)).toEqual([
      { callerReference: allowance, amount: 99, status: 'Success' },
    ])
    const ledger = paysWith()

    const attacker = await watchedPage(shop.browser)
    try {
      const other = attacker.page
      // a fresh browser: no cookie, so the song needs an authorization of its own
      await other.goto(`${shop.stack.shopUrl}/`)
      await creditsLeft(other).getByText('No song credits in this browser yet.').waitFor()
      await startCheckout(other, 'hazard')

      // the holder's return, replayed: the order shows, and no cookie comes with it
      await other.goto(returnUrl)
      await other.getByText('Payment complete').waitFor()
      await other.goto(`${shop.stack.shopUrl}/`)
      await creditsLeft(other).getByText('No song credits in this browser yet.').waitFor()
      await startCheckout(other, 'release-me')

      // a holder cookie of its own making is no holder
      await attacker.context.addCookies([
        { name: 'fps_holder', value: 'A'.repeat(43), url: `${shop.stack.shopUrl}/fps/` },
      ])
      await other.goto(`${shop.stack.shopUrl}/`)
      await startCheckout(other, 'you-re-in-love')

      // no request names a token, and the holder's allowance cannot be revoked from here
      await other.goto(`${shop.stack.shopUrl}/`)
      const named = await other.evaluate(async (tokenId) => {
        const body = { item: 'hazard', amount: '0.99', reason: 'Hazard - Richard Marx', tokenId }
        const response = await fetch('/fps/checkout', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
        return response.status
      }, token.id)
      expect(named).toBe(400)
      acceptRefusals(attacker, 400)
      const revoked = await other.evaluate(async (id) => {
        const path = `/fps/allowances/${encodeURIComponent(id)}/revoke`
        return (await fetch(path, { method: 'POST' })).status
      }, allowance)
      expect(revoked).toBe(404)
      acceptRefusals(attacker, 404)
    } finally {
      await attacker.context.close()
    }
    expect(attacker.problems).toEqual([])

    // nothing at all was charged meanwhile, to the holder's token or any other
    expect(paysWith()).toEqual(ledger)
    expect(tokenOf(allowance).status).toBe('Active')
    await page.goto(`${shop.stack.shopUrl}/`)
    await creditsLeft(page).getByText('Song credits left: $19.01 of $20.00.').waitFor()
  })
})
