import { describe, expect, it } from 'vitest'
import { html, limitedHtml } from './html.js'

describe('html', () => {
  it('escapes every interpolated value', () => {
    expect(html`<p title="${'"><script>'}">${'<b>&</b>'}</p>`.value).toBe(
      '<p title="&quot;&gt;&lt;script&gt;">&lt;b&gt;&amp;&lt;/b&gt;</p>'
    )
  })
})

describe('limitedHtml (paymentReason)', () => {
  it('keeps the tags FPS allowed and escapes everything else', () => {
    expect(limitedHtml('<b>Bold</b> <I>it</I><br/><ul><li>one</li></ul>').value).toBe(
      '<b>Bold</b> <i>it</i><br><ul><li>one</li></ul>'
    )
    expect(limitedHtml('<script>alert(1)</script><img src=x onerror=alert(1)>').value).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;'
    )
  })

  it('refuses attributes even on allowed tags', () => {
    expect(limitedHtml('<b onclick="x()">hi</b>').value).toBe('&lt;b onclick=&quot;x()&quot;&gt;hi')
  })

  it('closes what the reason leaves open and drops stray closers', () => {
    expect(limitedHtml('<strong><em>open').value).toBe('<strong><em>open</em></strong>')
    expect(limitedHtml('text</u> <b>x<i>y</b>z').value).toBe('text <b>x<i>y</i></b>z')
  })
})
