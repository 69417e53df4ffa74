// What this browser has left of its song credits, beside the songs they buy: the signer knows the
// browser by its HttpOnly holder cookie (no script reads it), so GET /fps/allowances lists this
// browser's allowances only, and POST /fps/allowances/:id/revoke stops one and cancels its token.
const LONGEST_WAIT_MS = 30_000
const panels = document.querySelectorAll('.credits-left[data-allowance]')
let waitMs = 1000
let next

function paragraph(text) {
  const p = document.createElement('p')
  p.textContent = text
  return p
}

async function errorOf(response) {
  const body = await response.json().catch(() => undefined)
  return body?.error?.message ?? `HTTP ${response.status}`
}

function revokeButton(allowance) {
  const button = document.createElement('button')
  button.type = 'button'
  button.textContent = 'Revoke song credits'
  button.addEventListener('click', () => void revoke(allowance, button))
  return button
}

/** One catalog allowance's panel: the browser's active one, else its latest. */
function render(panel, allowances, note) {
  const mine = allowances
    .filter((allowance) => allowance.allowance === panel.dataset.allowance)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
  const shown = mine.find((allowance) => allowance.status === 'active') ?? mine[0]
  const notes = note ? [note] : []
  if (!shown) {
    panel.replaceChildren(...notes, paragraph('No song credits in this browser yet.'))
  } else if (shown.status === 'active') {
    panel.replaceChildren(
      ...notes,
      paragraph(`Song credits left: $${shown.remaining} of $${shown.limit}.`),
      revokeButton(shown)
    )
  } else {
    const why = shown.status === 'revoked' ? 'were revoked' : 'are spent'
    panel.replaceChildren(
      ...notes,
      paragraph(`Your song credits ${why}: your next song here authorizes new credits.`)
    )
  }
}

// load() and revoke() never reject: what fails is shown; a load the network failed is tried again
async function load(note) {
  let again = false
  try {
    const response = await fetch('/fps/allowances')
    if (response.ok) {
      const { allowances } = await response.json()
      for (const panel of panels) render(panel, allowances, note)
    } else {
      const message = `Your song credits could not be looked up: ${await errorOf(response)}`
      for (const panel of panels) panel.replaceChildren(paragraph(message))
    }
  } catch {
    const message = 'Your song credits could not be looked up yet; they are tried again.'
    for (const panel of panels) panel.replaceChildren(paragraph(message))
    again = true
  }
  clearTimeout(next)
  if (again) {
    next = setTimeout(() => void load(note), waitMs)
    waitMs = Math.min(waitMs * 1.5, LONGEST_WAIT_MS)
  }
}

async function revoke(allowance, button) {
  button.disabled = true
  let note = null
  try {
    const response = await fetch(`/fps/allowances/${encodeURIComponent(allowance.id)}/revoke`, {
      method: 'POST',
    })
    if (!response.ok)
      note = paragraph(`Your song credits could not be revoked: ${await errorOf(response)}`)
  } catch {
    note = paragraph('Your song credits could not be revoked: the shop could not be reached.')
  }
  await load(note)
}

if (panels.length > 0) {
  void load()
  // Back from a purchase may show this page from the cache: what is left has changed since
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) void load()
  })
}
