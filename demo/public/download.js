// The download beside <fps-order>: the buyer's last order, with the access token the elements
// keep in localStorage (`fps:order`, so it outlives the tab), looked up on the shop until the shop has fulfilled it. The shop
// fulfils from the signer's event, which may come a moment after the return, or days later.
// A plan's order shows its streaming instead, and is kept apart (SAVED_SUBSCRIPTION) for the
// Streaming page, as the buyer's next order takes its place here.
const SAVED_ORDER = 'fps:order'
const SAVED_SUBSCRIPTION = 'digitaldownload:subscription'
const LONGEST_WAIT_MS = 30_000

const panel = document.getElementById('download')
let waitMs = 1000
let watching = false
let next

function savedOrder() {
  try {
    return JSON.parse(localStorage.getItem(SAVED_ORDER) ?? 'null')
  } catch {
    return null
  }
}

/** Keeps a subscription's order and token for the Streaming page; storage may be off. */
function keepSubscription(saved) {
  try {
    localStorage.setItem(SAVED_SUBSCRIPTION, JSON.stringify(saved))
  } catch {
    // the Streaming page will not find it; this page still shows it
  }
}

function streamingLink(text) {
  const link = document.createElement('a')
  link.href = '/streaming'
  link.textContent = text
  return link
}

function paragraph(text) {
  const p = document.createElement('p')
  p.textContent = text
  return p
}

function show(...nodes) {
  panel.replaceChildren(...nodes)
  panel.hidden = nodes.length === 0
}

/** Shows the delivery; answers whether it may still change, so it is looked up again. */
function render(order, delivery) {
  switch (delivery.state) {
    case 'ready': {
      const link = document.createElement('a')
      link.href = delivery.url
      link.textContent = `Download ${order.reason}`
      const until = new Date(delivery.expiresAt).toLocaleString()
      show(link, paragraph(`The link works until ${until}.`))
      return false
    }
    case 'waiting':
      show(
        paragraph(
          order.status === 'reserved'
            ? 'Your download comes when your order ships.'
            : 'Your download is on its way.'
        )
      )
      return true
    case 'expired':
      show(paragraph('Your download link has expired.'))
      return false
    case 'withdrawn':
      show(paragraph('Your download was withdrawn when the order was refunded.'))
      return false
    case 'streaming': {
      const until = new Date(delivery.until).toLocaleString()
      show(paragraph(`Streaming is on, paid through ${until}.`), streamingLink('Your streaming'))
      return false
    }
    case 'streaming-pending':
      show(paragraph('Streaming starts once your payment is through.'))
      return true
    case 'streaming-ended': {
      const since = new Date(delivery.since).toLocaleString()
      show(paragraph(`Your streaming ended on ${since}.`))
      return false
    }
    default:
      show()
      return false
  }
}

// look() never rejects: a failed lookup is shown, and tried again only when the network failed
async function look() {
  const saved = savedOrder()
  if (!saved) return
  let again
  try {
    const response = await fetch(`/api/orders/${encodeURIComponent(saved.ref)}`, {
      headers: { authorization: `Bearer ${saved.token}` },
    })
    if (response.ok) {
      const { order, delivery } = await response.json()
      if (order.subscription) keepSubscription(saved)
      again = render(order, delivery)
    } else {
      show(paragraph('Your download could not be looked up.'))
      again = false
    }
  } catch {
    show(paragraph('Your download could not be looked up yet; it is tried again.'))
    again = true
  }
  clearTimeout(next)
  if (again) {
    next = setTimeout(() => void look(), waitMs)
    waitMs = Math.min(waitMs * 1.5, LONGEST_WAIT_MS)
  }
}

function watch() {
  if (watching) return
  watching = true
  void look()
}

// after a return, the element keeps the order's token once the signer has verified it
document.addEventListener('fps-return-verified', watch)
// a reservation the buyer cancelled will not ship: its download is no longer to come
document.addEventListener('fps-order-cancelled', () => void look())
// a cancelled subscription streams to the end of the period paid for: the page says until when
document.addEventListener('fps-subscription-cancelled', () => void look())
if (!new URLSearchParams(location.search).has('status')) watch()
