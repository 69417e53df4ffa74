/**
 * Popup mode's last step: `<fps-return>`, on the return page inside the popup, tells the
 * `<fps-buy-button>` that opened the popup how the purchase ended.
 */
import type { Ending } from './element.js'

/** What the return page posts: how the return ended, and the order (`callerReference`) it is for. */
export type PopupReport = Ending & { callerReference: string | null }

/** What a posted message might hold, before it is known to be a {@link PopupReport}. */
interface Unchecked {
  callerReference?: unknown
  order?: { status?: unknown }
  returned?: { status?: unknown }
}

/** Tells the window that opened this one; the browser delivers it only to an opener of this origin. */
export function reportToOpener(report: PopupReport): void {
  const openedBy: Window | null = window.opener
  openedBy?.postMessage(report, location.origin)
}

/**
 * Whether a message is the report the button awaits: from its popup, on this origin (a popup
 * that went elsewhere could still post), about its order (another button may send the same
 * window to another order), and in that shape.
 */
export function isReportFrom(
  popup: Window,
  callerReference: string,
  event: MessageEvent<unknown>
): event is MessageEvent<PopupReport> {
  const report = event.data as Unchecked | null
  const ending = report?.order ?? report?.returned
  return (
    event.origin === location.origin &&
    event.source === popup &&
    report?.callerReference === callerReference &&
    typeof ending?.status === 'string'
  )
}
