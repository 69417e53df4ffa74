import { html } from 'hono/html'
import { describe, expect, it } from 'vitest'
import { limitedHtml } from './limited-html.js'

describe('limitedHtml (paymentReason)', () => {
  it('keeps the tags FPS allowed and escapes everything else', () => {
    expect(limitedHtml('<b>Bold</b> <I>it</I><br/><ul><li>one</li></ul>').toString()).toBe(
      '<b>Bold</b> <i>it</i><br><ul><li>one</li></ul>'
    )
    expect(limitedHtml('<script>alert(1)</script><img src=x onerror=alert(1)>').toString()).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;'
    )
  })

  it('refuses attributes even on allowed tags', () => {
    expect(limitedHtml('<b onclick="x()">hi</b>').toString()).toBe(
      '&lt;b onclick=&quot;x()&quot;&gt;hi'
    )
  })

  it('closes what the reason leaves open and drops stray closers', () => {
    expect(limitedHtml('<strong><em>open').toString()).toBe('<strong><em>open</em></strong>')
    expect(limitedHtml('text</u> <b>x<i>y</b>z').toString()).toBe('text <b>x<i>y</i></b>z')
  })
  it('is raw markup to hono/html, which escapes the same text given as a plain string', async () => {
    const reason = '<b>Song</b> "><img src=x onerror=alert(1)>'
    expect(String(await html`<dd>${limitedHtml(reason)}</dd><dd>${reason}</dd>`)).toBe(
      '<dd><b>Song</b> &quot;&gt;&lt;img src=x onerror=alert(1)&gt;</dd>' +
        '<dd>&lt;b&gt;Song&lt;/b&gt; &quot;&gt;&lt;img src=x onerror=alert(1)&gt;</dd>'
    )
  })
})
