import { formatCents } from '@fps-checkout/protocol'
import { html } from 'hono/html'
import { type Branding, type Html, page } from '../html/layout.js'
import { TEST_BUYER_PASSWORD, TEST_BUYERS } from '../state/accounts.js'
import type { PaymentMethod, TransactionMethod } from '../state/model.js'

/** What every CBUI page of one session shares: where its forms post and the caller's branding. */
export interface PageFrame {
  action: string
  branding: Branding
  /** One line saying who asks for what, shown above each form. */
  summary: string
}

/** The names FPS's pages used for the payment methods. */
export const METHOD_LABELS: Record<TransactionMethod, string> = {
  ABT: 'Amazon Payments balance',
  ACH: 'Bank account',
  CC: 'Credit card',
  Prepaid: 'Prepaid balance',
  Debt: 'Postpaid credit',
}

const actions = (primary: string) => html`<div class="actions">
<button type="submit" class="primary" name="intent" value="continue">${primary}</button>
<button type="submit" name="intent" value="cancel" formnovalidate>Cancel</button>
</div>`

const errorLine = (id: string, error: string | undefined) =>
  error ? html`<p id="${id}" class="error" role="alert">${error}</p>` : undefined

/** Step 1: sign in, with the sandbox's test buyers listed (their password is public on purpose). */
export function signInPage(frame: PageFrame, error?: string, email = ''): Html {
  const invalid = error ? html`aria-invalid="true" aria-describedby="signin-error"` : undefined
  const buyers = TEST_BUYERS.map(
    (buyer) =>
      html`<tr><td>${buyer.email}</td><td>${buyer.name}</td><td>${buyer.methods.map((m) => METHOD_LABELS[m]).join(', ')}</td><td>${buyer.purpose}</td></tr>`
  )
  return page(
    'Sign in',
    html`<p>${frame.summary}</p>
<form method="post" action="${frame.action}">
<input type="hidden" name="step" value="signin">
${errorLine('signin-error', error)}
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required value="${email}" ${invalid}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required ${invalid}>
${actions('Sign in')}
</form>
<section aria-labelledby="buyers-heading">
<h2 id="buyers-heading">Test buyers</h2>
<p>Every test buyer's password is <strong>${TEST_BUYER_PASSWORD}</strong>.</p>
<table><thead><tr><th scope="col">Email</th><th scope="col">Name</th><th scope="col">Payment methods</th><th scope="col">Use it for</th></tr></thead>
<tbody>${buyers}</tbody></table>
</section>`,
    frame.branding
  )
}

/** One payment method the buyer may pick, with a detail such as the available balance. */
export interface MethodChoice {
  method: PaymentMethod
  detail: string
}

/** Step 2: a radio group of the requested methods the buyer holds. */
export function methodPage(
  frame: PageFrame,
  choices: MethodChoice[],
  selected?: PaymentMethod,
  error?: string
): Html {
  const chosen = selected ?? choices[0]?.method
  const radios = choices.map(
    ({ method, detail }) => html`<div class="choice">
<input type="radio" id="method-${method}" name="method" value="${method}" ${chosen === method ? html`checked` : undefined} aria-describedby="method-${method}-detail">
<label for="method-${method}">${METHOD_LABELS[method]}</label> <span id="method-${method}-detail">${detail}</span>
</div>`
  )
  return page(
    'Choose a payment method',
    html`<p>${frame.summary}</p>
<form method="post" action="${frame.action}">
<input type="hidden" name="step" value="method">
<fieldset ${error ? html`aria-describedby="method-error"` : undefined}>
<legend>Payment method</legend>
${errorLine('method-error', error)}
${radios}
</fieldset>
${actions('Continue')}
</form>`,
    frame.branding
  )
}

/** Step 3: what the buyer is about to authorize, and the caller's description of itself. */
export function reviewPage(
  frame: PageFrame,
  rows: [string, string | Html][],
  websiteDescription?: string
): Html {
  const items = rows.map(([term, detail]) => html`<dt>${term}</dt><dd>${detail}</dd>`)
  return page(
    'Review and confirm',
    html`<p>${frame.summary}</p>
<dl>${items}</dl>
${websiteDescription ? html`<p>You will return to ${websiteDescription}.</p>` : undefined}
<form method="post" action="${frame.action}">
<input type="hidden" name="step" value="review">
${actions('Continue')}
</form>`,
    frame.branding
  )
}

/** A request the sandbox cannot send back anywhere (no usable returnURL), or an ended session. */
export function problemPage(title: string, message: string): Html {
  return page(title, html`<p role="alert">${message}</p>`)
}

/** `$1,234.50`. */
export function dollars(cents: number): string {
  const [whole = '0', fraction = '00'] = formatCents(cents).split('.')
  return `$${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction}`
}
