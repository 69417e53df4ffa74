// The merchant's orders page: lists orders through the signer's admin API and runs its actions.
// The admin token lives in this tab's sessionStorage only, and goes out only as a bearer header.
const TOKEN_KEY = 'digitaldownload-admin-token'
const ACTIONS = {
  created: [],
  pending: ['refresh'],
  reserved: ['settle', 'cancel'],
  success: ['refund'],
  refunded: ['refund'],
  failure: [],
  cancelled: [],
  expired: [],
}

const form = document.getElementById('admin-login')
const input = document.getElementById('admin-token')
const table = document.getElementById('orders')
const status = document.getElementById('orders-status')

async function call(path, method = 'GET') {
  const response = await fetch(`/fps/admin${path}`, {
    method,
    headers: { authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY)}` },
  })
  const body = await response.json()
  if (!response.ok) throw new Error(body.error?.message ?? `HTTP ${response.status}`)
  return body
}

function cell(row, text) {
  const td = row.insertCell()
  td.textContent = text
  return td
}

function render(orders) {
  const body = table.tBodies[0]
  body.replaceChildren()
  for (const order of orders) {
    const row = body.insertRow()
    cell(row, order.callerReference)
    cell(row, order.reason)
    cell(
      row,
      `${order.amount} ${order.currencyCode}${order.refundedAmount ? ` (refunded ${order.refundedAmount})` : ''}`
    )
    cell(row, order.status).dataset.status = order.status
    cell(row, new Date(order.createdAt).toLocaleString())
    const actions = cell(row, '')
    for (const action of ACTIONS[order.status] ?? []) {
      const button = document.createElement('button')
      button.type = 'button'
      button.textContent = action[0].toUpperCase() + action.slice(1)
      button.setAttribute('aria-label', `${button.textContent} ${order.callerReference}`)
      button.addEventListener('click', () => void act(order.callerReference, action))
      actions.append(button)
    }
  }
  table.hidden = false
}

// load() and act() never reject: what fails is shown in the status line
async function load() {
  try {
    const { orders } = await call('/orders?limit=100')
    render(orders)
    status.textContent = `${orders.length} orders.`
  } catch (error) {
    status.textContent = `Could not load the orders: ${error.message}`
  }
}

async function act(callerReference, action) {
  let outcome
  try {
    await call(`/orders/${encodeURIComponent(callerReference)}/${action}`, 'POST')
    outcome = `${action} of ${callerReference} done.`
  } catch (error) {
    outcome = `${action} of ${callerReference} failed: ${error.message}`
  }
  await load()
  status.textContent = outcome
}

form.addEventListener('submit', (event) => {
  event.preventDefault()
  sessionStorage.setItem(TOKEN_KEY, input.value)
  void load()
})
if (sessionStorage.getItem(TOKEN_KEY)) void load()
