/**
 * Builds dist/: the ESM file for npm, the one-file IIFE for a script tag (and the order page's,
 * with `<fps-order>` too), React typings, the manifest.
 */
import { execFileSync } from 'node:child_process'
import { copyFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { build, type InlineConfig } from 'vite'
import { compactTemplates } from './compact-templates.js'
import { stripLitMessages } from './strip-lit-messages.js'

const root = fileURLToPath(new URL('..', import.meta.url))

/** A build of one entry; an IIFE stops at once where the page has `guard` defined already. */
function config(
  entry: string,
  format: 'es' | 'iife',
  fileName: string,
  guard = 'fps-return'
): InlineConfig {
  return {
    root,
    configFile: false,
    logLevel: 'warn',
    plugins: format === 'iife' ? [compactTemplates, stripLitMessages] : [compactTemplates],
    build: {
      emptyOutDir: false,
      lib: { entry, formats: [format], name: 'FpsElements', fileName: () => fileName },
      rolldownOptions:
        format === 'es'
          ? // npm users bring their own Lit (one copy per app); the script tag carries it inside
            { external: [/^lit(\/|$)/, /^@lit\//] }
          : // a second copy of the script stops before its Lit even starts (Trusted Types
            // refuses a second 'lit-html' policy)
            { output: { intro: `if(customElements.get('${guard}'))return;` } },
    },
  }
}

// Writes every file of dist/ but the declarations, which `tsc --build` emits.
await build(config('src/index.ts', 'es', 'fps-elements.js'))
await build(config('src/iife.ts', 'iife', 'fps-elements.iife.js'))
// the order page's script: the three elements in one file, beside the widget's 9 KiB budget
await build(config('src/order-iife.ts', 'iife', 'fps-order.iife.js', 'fps-order'))
copyFileSync(`${root}src/react.d.ts`, `${root}dist/react.d.ts`)
const cem = createRequire(import.meta.url).resolve('@custom-elements-manifest/analyzer/cem.js')
execFileSync(process.execPath, [cem, 'analyze', '--quiet'], { cwd: root, stdio: 'inherit' })
