import { createHash } from 'node:crypto'
import { html, raw } from 'hono/html'
import type { HtmlEscapedString } from 'hono/utils/html'

const STYLE = `
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#111;background:#f6f6f6}
header{display:flex;align-items:center;gap:1rem;padding:.75rem 1.5rem;background:#232f3e;color:#fff}
header img{max-height:40px;max-width:215px;background:#fff}
header.banner img{max-width:100%}
main{max-width:40rem;margin:1.5rem auto;padding:1.5rem;background:#fff;border-radius:6px}
label{display:block;font-weight:600;margin-top:1rem}
input[type=email],input[type=password]{display:block;width:100%;max-width:22rem;padding:.5rem;font:inherit}
fieldset{border:1px solid #ccc;padding:1rem}fieldset label{display:inline;font-weight:400;margin:0}
.choice{margin:.5rem 0}.actions{margin-top:1.5rem;display:flex;gap:.75rem}
button{font:inherit;padding:.5rem 1.25rem;cursor:pointer}button.primary{background:#ffd814;border:1px solid #c7a700}
.error{color:#b00020;font-weight:600}dl{display:grid;grid-template-columns:max-content 1fr;gap:.5rem 1rem}
dt{font-weight:600}dd{margin:0}table{border-collapse:collapse;margin-top:.5rem}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}
:focus-visible{outline:3px solid #0a66c2;outline-offset:2px}
`

/** The CSP source that allows the pages' one inline style, and no other. */
export const STYLE_SOURCE = `'sha256-${createHash('sha256').update(STYLE, 'utf8').digest('base64')}'`

/** What `hono/html` renders: sync here, since no page interpolates a promise. */
export type Html = HtmlEscapedString | Promise<HtmlEscapedString>

/** The co-branding shown in the header: the caller's logo or banner, as the CBUI did. */
export interface Branding {
  logoUrl?: string
  style?: 'logo' | 'banner'
  description?: string
}

/** The shared page shell: language, title, co-branded header, one `main` landmark. */
export function page(title: string, body: Html, branding: Branding = {}): Html {
  const logo = branding.logoUrl
    ? html`<img src="${branding.logoUrl}" alt="${branding.description ?? 'Merchant logo'}">`
    : undefined
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${title} – Amazon Payments (FPS sandbox)</title>
<style>${raw(STYLE)}</style>
</head>
<body>
<header class="${branding.style === 'banner' ? 'banner' : 'logo'}">${logo}<span>Amazon Payments · FPS sandbox</span></header>
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>
`
}
