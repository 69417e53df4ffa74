import { html } from 'hono/html'
import type { HtmlEscapedString } from 'hono/utils/html'
import type { Credits, Plan, ShopCatalog, Song } from './songs.js'

type Html = HtmlEscapedString | Promise<HtmlEscapedString>

/**
 * The frame every page shares; scripts load from this origin only (the CSP allows nothing else).
 * A page loads one build of the elements: the order page's has `<fps-order>` too.
 */
function page(
  title: string,
  body: Html,
  scripts: readonly string[] = [],
  elements = '/fps-elements.iife.js'
): Html {
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${title} · DigitalDownload</title>
    <link rel="icon" href="/assets/logo.svg" />
    <link rel="stylesheet" href="/assets/shop.css" />
    <script src="${elements}" defer></script>
    ${scripts.map((src) => html`<script src="${src}" defer></script>`)}
  </head>
  <body>
    <header class="masthead">
      <a href="/"><img src="/assets/logo.svg" alt="DigitalDownload" width="215" height="40" /></a>
      <nav><a href="/">Songs</a> <a href="/streaming">Streaming</a> <a href="/order">Your order</a> <a href="/orders">Orders</a></nav>
    </header>
    <main>${body}</main>
  </body>
</html>`
}

/** The no-JavaScript path: the same fields, posted as a form, answered with a 303 to the payment pages. */
function fallbackForm(fields: Record<string, string>, label: string): Html {
  return html`<noscript>
    <form method="post" action="/fps/checkout">
      ${Object.entries(fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`)}
      <button type="submit">${label}</button>
    </form>
  </noscript>`
}

/** A song's row: its title, artist and buy button (one click, for a song sold from credits). */
function songItem(song: Song, logo: string): Html {
  const reason = `${song.title} - ${song.artist}`
  const fields = { item: song.id, amount: song.price, reason, logo }
  return html`<li>
    <span class="title">${song.title}</span>
    <span class="artist">${song.artist}</span>
    <fps-buy-button item="${song.id}" amount="${song.price}" reason="${reason}" logo="${logo}" signer="/fps"></fps-buy-button>
    ${fallbackForm(fields, `Buy · $${song.price}`)}
  </li>`
}

/** The songs sold from an allowance, with what the buyer has left of it (`credits.js`). */
function creditsSection(credits: Credits, songs: readonly Song[], logo: string): Html {
  const heading = `credits-heading-${credits.id}`
  return html`<section class="credits" aria-labelledby="${heading}">
    <h2 id="${heading}">Song credits</h2>
    <p>
      Authorize $${credits.limit} of song credits once, on the Amazon Payments pages, with your
      first song here. After that each song is one click, with no payment pages, until the credits
      run out.
    </p>
    <div class="credits-left" data-allowance="${credits.id}" role="status" aria-live="polite"></div>
    <ul class="songs">
      ${songs.map((song) => songItem(song, logo))}
    </ul>
  </section>`
}

/** A plan's price per period, as FPS writes the period: "$4.99 a month", "$9.99 every 3 months". */
function perPeriod(plan: Plan): string {
  const [count, unit] = plan.every.toLowerCase().split(' ')
  return count === '1' ? `$${plan.price} a ${unit}` : `$${plan.price} every ${count} ${unit}`
}

/** The plans: a subscribe button each, its label the price per period. */
function streamingSection(plans: readonly Plan[], logo: string): Html {
  return html`<section class="streaming" aria-labelledby="streaming-heading">
    <h2 id="streaming-heading">Unlimited streaming</h2>
    <p>
      Stream every song of the shop. The first month is charged when you subscribe, then each
      month on; cancel on your order page or the <a href="/streaming">Streaming</a> page whenever
      you like, and you keep streaming to the end of the month paid for.
    </p>
    <ul class="songs">
      ${plans.map((plan) => {
        const reason = `${plan.title} - DigitalDownload`
        const fields = { item: plan.id, amount: plan.price, reason, logo }
        return html`<li>
          <span class="title">${plan.title}</span>
          <span class="artist">${perPeriod(plan)}</span>
          <fps-buy-button item="${plan.id}" amount="${plan.price}" every="${plan.every}" reason="${reason}" logo="${logo}" signer="/fps"></fps-buy-button>
          ${fallbackForm(fields, `Subscribe · ${perPeriod(plan)}`)}
        </li>`
      })}
    </ul>
  </section>`
}

/**
 * The shop: the songs bought one at a time, the songs bought with credits, the streaming plans,
 * and the donation with an amount the buyer chooses.
 */
export function songsPage(catalog: ShopCatalog, logo: string): Html {
  const { songs, donation, plans, credits } = catalog
  return page(
    'Songs',
    html`<h1>Songs</h1>
      <ul class="songs">
        ${songs.filter((song) => !song.allowance).map((song) => songItem(song, logo))}
      </ul>
      ${credits.map((allowance) => {
        const sold = songs.filter((song) => song.allowance === allowance.id)
        return sold.length > 0 ? creditsSection(allowance, sold, logo) : ''
      })}
      ${plans.length > 0 ? streamingSection(plans, logo) : ''}
      <section class="donation" aria-labelledby="donate-heading">
        <h2 id="donate-heading">Support the artists</h2>
        <label for="donation-amount">Amount in USD (${donation.min} to ${donation.max})</label>
        <input id="donation-amount" type="text" inputmode="decimal" value="5.00" pattern="[0-9]+(\\.[0-9]{1,2})?" />
        <fps-buy-button id="donate" item="donation" amount="5.00" reason="A donation to the DigitalDownload artists fund" logo="${logo}" signer="/fps" label="Donate"></fps-buy-button>
      </section>`,
    ['/assets/donation.js', '/assets/credits.js']
  )
}

/**
 * Where CBUI sends the buyer back (the element verifies the return through the signer), and the
 * buyer's order page later: the element shows this browser's last order with what the buyer may
 * do (cancel it, ask for a refund, cancel its subscription), and the download appears beside it
 * once the shop has fulfilled the order (for a plan's order, whether it streams).
 */
export function orderPage(): Html {
  return page(
    'Your order',
    html`<h1>Your order</h1>
      <fps-order signer="/fps"></fps-order>
      <section id="download" class="download" aria-label="Download" aria-live="polite" hidden></section>
      <p><a href="/">Back to the songs</a></p>`,
    ['/assets/download.js'],
    '/fps-order.iife.js'
  )
}

/**
 * The buyer's streaming: the subscription this browser started (kept apart from the last order,
 * which a later song replaces), whether it streams now, and a way to cancel it.
 */
export function streamingPage(): Html {
  return page(
    'Streaming',
    html`<h1>Streaming</h1>
      <section id="streaming" class="download" aria-label="Streaming" aria-live="polite">
        <p>Looking up your subscription…</p>
      </section>
      <p><a href="/">Back to the songs</a></p>`,
    ['/assets/streaming.js']
  )
}

/** What a download link that cannot be honoured shows. */
export function linkRefusedPage(message: string): Html {
  return page(
    'Download',
    html`<h1>Download</h1>
      <p role="alert">${message}</p>
      <p><a href="/order">Your order</a> shows its download while it lasts.</p>`
  )
}

/** The merchant's orders, through the signer's admin API; the admin token stays in this tab only. */
export function ordersPage(): Html {
  return page(
    'Orders',
    html`<h1>Orders</h1>
      <form id="admin-login" class="login">
        <label for="admin-token">Admin token</label>
        <input id="admin-token" type="password" autocomplete="off" required />
        <button type="submit">Show orders</button>
        <p class="hint">It is in <code>demo/.data/admin-token</code>.</p>
      </form>
      <p id="orders-status" role="status"></p>
      <table id="orders" hidden>
        <caption>Most recent first</caption>
        <thead>
          <tr><th scope="col">Order</th><th scope="col">Item</th><th scope="col">Amount</th><th scope="col">Status</th><th scope="col">Delivery</th><th scope="col">Created</th><th scope="col">Actions</th></tr>
        </thead>
        <tbody></tbody>
      </table>`,
    ['/assets/orders.js']
  )
}
