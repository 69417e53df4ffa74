// The merchant's orders page: lists orders with their delivery (the shop's /api, which asks the
// signer's admin API), runs the signer's admin actions and decides the buyers' refund requests.
// The admin token lives in this tab's sessionStorage only, and goes out only as a bearer header.
const TOKEN_KEY = 'digitaldownload-admin-token'
// each action's signer route and its button; shipping a reservation is what settles it
const ACTIONS = {
  created: [],
  pending: [['refresh', 'Refresh']],
  reserved: [
    ['settle', 'Ship and settle'],
    ['cancel', 'Cancel'],
  ],
  success: [['refund', 'Refund']],
  refunded: [['refund', 'Refund']],
  failure: [],
  cancelled: [],
  expired: [],
}
const LONGEST_WAIT_MS = 30_000

const form = document.getElementById('admin-login')
const input = document.getElementById('admin-token')
const table = document.getElementById('orders')
const status = document.getElementById('orders-status')

async function call(path, method = 'GET') {
  const response = await fetch(path, {
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

/** Fills an order's delivery cell; answers whether the delivery is still to come on its own. */
function renderDelivery(td, { status, delivery }) {
  td.replaceChildren()
  if (delivery.state === 'ready') {
    if (delivery.shippedAt) td.append(`Shipped ${new Date(delivery.shippedAt).toLocaleString()} · `)
    const link = document.createElement('a')
    link.href = delivery.url
    link.textContent = 'Download link'
    td.append(link)
  } else if (delivery.state === 'waiting') {
    td.append(status === 'reserved' ? 'Not shipped' : 'Being fulfilled')
  } else if (delivery.state === 'expired') {
    td.append('Link expired')
  } else if (delivery.state === 'withdrawn') {
    td.append('Withdrawn (refunded)')
  } else if (delivery.state === 'streaming') {
    td.append(`Streaming until ${new Date(delivery.until).toLocaleString()}`)
  } else if (delivery.state === 'streaming-pending') {
    td.append('Streaming once paid')
  } else if (delivery.state === 'streaming-ended') {
    td.append(`Streaming ended ${new Date(delivery.since).toLocaleString()}`)
  }
  td.dataset.delivery = delivery.state
  return delivery.state === 'waiting' && status !== 'reserved'
}

// watch() never rejects: it looks an order up until its delivery is settled or its row is gone
async function watch(td, callerReference, waitMs = 1000) {
  if (!td.isConnected) return
  let again = true
  try {
    const { order, delivery } = await call(`/api/orders/${encodeURIComponent(callerReference)}`)
    again = renderDelivery(td, { status: order.status, delivery })
  } catch {
    // looked up again below, as the signer or the shop may be back by then
  }
  if (again)
    setTimeout(
      () => void watch(td, callerReference, Math.min(waitMs * 1.5, LONGEST_WAIT_MS)),
      waitMs
    )
}

function button(label, callerReference, onClick) {
  const element = document.createElement('button')
  element.type = 'button'
  element.textContent = label
  element.setAttribute('aria-label', `${label} ${callerReference}`)
  element.addEventListener('click', onClick)
  return element
}

/** Renders the orders; `requests` are the buyers' open refund requests, by order. */
function render(orders, requests) {
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
    const request = requests.get(order.callerReference)
    const asked = request
      ? ` · refund of ${request.amount} requested${request.reason ? `: ${request.reason}` : ''}`
      : ''
    cell(row, `${order.status}${asked}`).dataset.status = order.status
    const delivery = cell(row, '')
    if (renderDelivery(delivery, order)) void watch(delivery, order.callerReference)
    cell(row, new Date(order.createdAt).toLocaleString())
    const actions = cell(row, '')
    const reference = encodeURIComponent(order.callerReference)
    for (const [action, label] of ACTIONS[order.status] ?? []) {
      const path = `/fps/admin/orders/${reference}/${action}`
      actions.append(
        button(label, order.callerReference, () => void act(path, action, order.callerReference))
      )
    }
    if (request) {
      for (const decision of ['approve', 'decline']) {
        const label = `${decision[0].toUpperCase()}${decision.slice(1)} refund`
        const path = `/fps/admin/refund-requests/${encodeURIComponent(request.id)}/${decision}`
        const name = `${decision} refund`
        actions.append(
          button(label, order.callerReference, () => void act(path, name, order.callerReference))
        )
      }
    }
  }
  table.hidden = false
}

// load() and act() never reject: what fails is shown in the status line
async function load() {
  try {
    const [{ orders }, { refundRequests }] = await Promise.all([
      call('/api/orders?limit=100'),
      call('/fps/admin/refund-requests?status=open&limit=100'),
    ])
    render(orders, new Map(refundRequests.map((request) => [request.callerReference, request])))
    status.textContent = `${orders.length} orders.`
  } catch (error) {
    status.textContent = `Could not load the orders: ${error.message}`
  }
}

async function act(path, action, callerReference) {
  let outcome
  try {
    await call(path, 'POST')
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
