// The Streaming page: the subscription this browser started, which the order page keeps apart
// (`digitaldownload:subscription`: its order and access token), since the buyer's next order
// takes its place as the last one. Whether it streams comes from the shop (GET /api/orders/:ref,
// which asks the signer to judge the token); cancelling is the signer's own call for the buyer,
// POST /fps/orders/:ref/cancel with the same token.
const SAVED_SUBSCRIPTION = 'digitaldownload:subscription'
const LONGEST_WAIT_MS = 30_000
const STATUS = {
  active: 'Subscription active',
  past_due: 'Subscription past due',
  cancelled: 'Subscription cancelled',
  ended: 'Subscription ended',
}

const panel = document.getElementById('streaming')
let waitMs = 1000
let next

function savedSubscription() {
  try {
    return JSON.parse(localStorage.getItem(SAVED_SUBSCRIPTION) ?? 'null')
  } catch {
    return null
  }
}

function paragraph(text) {
  const p = document.createElement('p')
  p.textContent = text
  return p
}

/** What the buyer may stream now; answers whether it may still change on its own. */
function access(delivery) {
  switch (delivery.state) {
    case 'streaming':
      return [
        paragraph(`Streaming is on, paid through ${new Date(delivery.until).toLocaleString()}.`),
        false,
      ]
    case 'streaming-pending':
      return [paragraph('Streaming starts once your payment is through.'), true]
    case 'streaming-ended':
      return [
        paragraph(`Your streaming ended on ${new Date(delivery.since).toLocaleString()}.`),
        false,
      ]
    default:
      return [paragraph('This subscription does not stream.'), false]
  }
}

/** The price per period, as FPS writes the period: "$4.99 a month", "$9.99 every 3 months". */
function perPeriod(amount, every) {
  const [count, unit] = every.toLowerCase().split(' ')
  return count === '1' ? `$${amount} a ${unit}` : `$${amount} every ${count} ${unit}`
}

function details(subscription) {
  const { status, amount, every, nextChargeAt, chargedPeriods } = subscription
  const lines = [`${STATUS[status] ?? status} · ${perPeriod(amount, every)}`]
  if (nextChargeAt) {
    const date = new Date(nextChargeAt).toLocaleDateString()
    lines.push(
      status === 'past_due'
        ? `Your last payment failed; it is tried again on ${date}.`
        : `Next payment on ${date}.`
    )
  }
  lines.push(`Periods paid: ${chargedPeriods}`)
  return lines.map(paragraph)
}

function cancelButton(saved) {
  const button = document.createElement('button')
  button.type = 'button'
  button.textContent = 'Cancel subscription'
  button.addEventListener('click', () => void cancel(saved, button))
  return button
}

async function errorOf(response) {
  const body = await response.json().catch(() => undefined)
  return body?.error?.message ?? `HTTP ${response.status}`
}

// look() and cancel() never reject: what fails is shown; a lookup the network failed is tried again
async function look(note) {
  const saved = savedSubscription()
  if (!saved) {
    const link = document.createElement('a')
    link.href = '/#streaming-heading'
    link.textContent = 'Subscribe to unlimited streaming'
    panel.replaceChildren(paragraph('This browser has no subscription.'), link)
    return
  }
  let again
  try {
    const response = await fetch(`/api/orders/${encodeURIComponent(saved.ref)}`, {
      headers: { authorization: `Bearer ${saved.token}` },
    })
    if (response.ok) {
      const { order, delivery } = await response.json()
      const [streams, changing] = access(delivery)
      const subscription = order.subscription
      const ongoing = subscription?.status === 'active' || subscription?.status === 'past_due'
      panel.replaceChildren(
        ...(note ? [note] : []),
        streams,
        ...(subscription ? details(subscription) : []),
        ...(ongoing ? [cancelButton(saved)] : [])
      )
      again = changing
    } else {
      panel.replaceChildren(
        paragraph(`Your subscription could not be looked up: ${await errorOf(response)}`)
      )
      again = false
    }
  } catch {
    panel.replaceChildren(
      paragraph('Your subscription could not be looked up yet; it is tried again.')
    )
    again = true
  }
  clearTimeout(next)
  if (again) {
    next = setTimeout(() => void look(note), waitMs)
    waitMs = Math.min(waitMs * 1.5, LONGEST_WAIT_MS)
  }
}

async function cancel(saved, button) {
  button.disabled = true
  let note
  try {
    const response = await fetch(`/fps/orders/${encodeURIComponent(saved.ref)}/cancel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${saved.token}`, 'content-type': 'application/json' },
      body: '{}',
    })
    note = response.ok
      ? null
      : paragraph(`Your subscription could not be cancelled: ${await errorOf(response)}`)
  } catch {
    note = paragraph('Your subscription could not be cancelled: the shop could not be reached.')
  }
  await look(note)
}

void look()
