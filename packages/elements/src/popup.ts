/**
 * Popup mode's last step: `<fps-return>`, on the return page inside the popup, tells the
 * `<fps-buy-button>` that opened the popup how the purchase ended; the button answers, and the
 * popup closes itself. A BroadcastChannel per order carries both messages, not `window.opener`:
 * a shop that sends `Cross-Origin-Opener-Policy: same-origin` (as hono's secureHeaders does by
 * default) loses the opener once the popup has been to the payment pages. A channel reaches only
 * this origin's pages.
 */
import type { Ending } from './element.js'

/** The button's answer to a report, after which the popup closes. */
const heard = 'heard'

/** What a message might hold, before it is known to be an {@link Ending}. */
interface Unchecked {
  order?: { status?: unknown }
  returned?: { status?: unknown }
}

/** The channel of one order's return. */
function channelOf(callerReference: string): BroadcastChannel {
  return new BroadcastChannel(`fps:return:${callerReference}`)
}

/** Whether a message has the shape of an {@link Ending}: an order or a return, with a status. */
function isEnding(data: unknown): data is Ending {
  const ending = data as Unchecked | null
  return typeof (ending?.order ?? ending?.returned)?.status === 'string'
}

/**
 * Tells a button awaiting this order how its return ended, and closes this window once one has
 * heard. Without one (redirect mode, or the opener has moved on) the page stays as it is.
 */
export function reportToButton(callerReference: string, ending: Ending): void {
  const channel = channelOf(callerReference)
  channel.onmessage = ({ data }) => {
    if (data === heard) window.close()
  }
  channel.postMessage(ending)
}

/** Awaits the report on an order's return, once; answers the function that stops awaiting it. */
export function awaitReport(
  callerReference: string,
  onReport: (ending: Ending) => void
): () => void {
  const channel = channelOf(callerReference)
  channel.onmessage = ({ data }) => {
    if (!isEnding(data)) return
    channel.postMessage(heard)
    channel.close()
    onReport(data)
  }
  return () => channel.close()
}
