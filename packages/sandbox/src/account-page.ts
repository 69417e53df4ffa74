import { Hono } from 'hono'
import { html } from 'hono/html'
import type { Env } from './api/routes.js'
import { dollars, METHOD_LABELS } from './cbui/pages.js'
import { rolesOf } from './engine/activity.js'
import { page } from './html/layout.js'
import type { Runtime } from './runtime.js'

/** "Your Account": every account's balance, and per account its transactions with their history. */
export function accountRoutes(runtime: Runtime) {
  const { state } = runtime
  return new Hono<Env>()
    .get('/', (c) => {
      const rows = [...state.accounts.values()].map(
        (account) =>
          html`<tr><td><a href="/account/${account.id}">${account.name}</a></td><td>${account.email}</td><td>${account.kind}</td><td>${dollars(state.balance(account.id))}</td></tr>`
      )
      return c.html(
        page(
          'Your Account',
          html`<p>Balances of every account in this sandbox. Choose one to see its transactions.</p>
<table><caption>Accounts</caption><thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Kind</th><th scope="col">Available balance</th></tr></thead>
<tbody>${rows}</tbody></table>`
        )
      )
    })
    .get('/:id', (c) => {
      const account = state.accounts.get(c.req.param('id'))
      if (!account)
        return c.html(
          page('No such account', html`<p><a href="/account">All accounts</a></p>`),
          404
        )
      const txns = [...state.transactions.values()]
        .filter((txn) => rolesOf(txn, account.id).length > 0)
        .reverse()
      const items = txns.map(
        (txn) => html`<section aria-labelledby="txn-${txn.id}">
<h3 id="txn-${txn.id}">${txn.operation} of ${dollars(txn.amount)} — ${txn.status}</h3>
<dl><dt>Transaction id</dt><dd><code>${txn.id}</code></dd><dt>Your role</dt><dd>${rolesOf(txn, account.id).join(', ')}</dd>
<dt>Payment method</dt><dd>${METHOD_LABELS[txn.paymentMethod]}</dd><dt>Caller reference</dt><dd>${txn.callerReference}</dd>
<dt>Status</dt><dd>${txn.statusCode}: ${txn.statusMessage}</dd></dl>
<table><caption>Status history</caption><thead><tr><th scope="col">Date</th><th scope="col">Status</th><th scope="col">Code</th></tr></thead>
<tbody>${txn.history.map((change) => html`<tr><td>${change.date}</td><td>${change.status}</td><td>${change.statusCode}</td></tr>`)}</tbody></table>
</section>`
      )
      return c.html(
        page(
          account.name,
          html`<p><a href="/account">All accounts</a></p>
<dl><dt>Email</dt><dd>${account.email}</dd><dt>Available balance</dt><dd>${dollars(state.balance(account.id))}</dd>
<dt>Payment methods</dt><dd>${account.methods.map((method) => METHOD_LABELS[method]).join(', ')}</dd></dl>
<h2>Transactions</h2>
${items.length > 0 ? items : html`<p>No transactions yet.</p>`}`
        )
      )
    })
}
