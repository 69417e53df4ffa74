import { type FpsError, FpsRequestError } from './errors.js'

/**
 * Why a request got no answer, as far as a page can tell: the browser gives a script the same
 * "Failed to fetch" whether CSP, CORS or the network stopped it. A refused origin cannot be told
 * from a signer that is down: CORS hides the refusal, and the signer's
 * Cross-Origin-Resource-Policy hides it from a `no-cors` probe too.
 */
function whyUnanswered(url: URL, blocked: boolean): FpsError {
  if (blocked) {
    const message = `The page's CSP blocks the signer: add ${url.origin} to its connect-src.`
    return { code: 'blocked', status: 0, message }
  }
  if (!navigator.onLine) return { code: 'network', status: 0, message: 'The browser is offline.' }
  const unreached = `The signer at ${url.href} could not be reached`
  const message =
    url.origin === location.origin
      ? `${unreached}: is it running?`
      : `${unreached} or refused this origin: is it running, with ${location.origin} in FPS_ALLOWED_ORIGINS?`
  return { code: 'unreachable', status: 0, message }
}

/**
 * `fetch`, but a request that gets no answer fails with an {@link FpsRequestError} that names the
 * likely cause, so the page's developer learns what to fix.
 */
export async function reach(url: URL, init: RequestInit): Promise<Response> {
  let blocked = false
  const onViolation = (event: SecurityPolicyViolationEvent) => {
    blocked ||= event.effectiveDirective === 'connect-src' && url.href.startsWith(event.blockedURI)
  }
  document.addEventListener('securitypolicyviolation', onViolation)
  try {
    return await fetch(url, init)
  } catch (error) {
    // the browser refuses a request that breaks the CSP at once, and fires the violation event
    // in a task it queues then: that task runs before this one
    await new Promise((resolve) => setTimeout(resolve))
    throw new FpsRequestError(whyUnanswered(url, blocked), { cause: error })
  } finally {
    document.removeEventListener('securitypolicyviolation', onViolation)
  }
}
