/** Builds dist/: the ESM file for npm, the one-file IIFE for a script tag, React typings, the manifest. */
import { execFileSync } from 'node:child_process'
import { copyFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { build, type InlineConfig } from 'vite'
import { compactTemplates } from './compact-templates.js'

const root = fileURLToPath(new URL('..', import.meta.url))

function config(entry: string, format: 'es' | 'iife', fileName: string): InlineConfig {
  return {
    root,
    configFile: false,
    logLevel: 'warn',
    plugins: [compactTemplates],
    build: {
      emptyOutDir: false,
      lib: { entry, formats: [format], name: 'FpsElements', fileName: () => fileName },
      rolldownOptions:
        format === 'es'
          ? // npm users bring their own Lit (one copy per app); the script tag carries it inside
            { external: [/^lit(\/|$)/, /^@lit\//] }
          : // a second copy of the script stops before its Lit even starts (Trusted Types
            // refuses a second 'lit-html' policy)
            { output: { intro: "if(customElements.get('fps-return'))return;" } },
    },
  }
}

// Writes every file of dist/ but the declarations, which `tsc --build` emits.
await build(config('src/index.ts', 'es', 'fps-elements.js'))
await build(config('src/iife.ts', 'iife', 'fps-elements.iife.js'))
copyFileSync(`${root}src/react.d.ts`, `${root}dist/react.d.ts`)
const cem = createRequire(import.meta.url).resolve('@custom-elements-manifest/analyzer/cem.js')
execFileSync(process.execPath, [cem, 'analyze', '--quiet'], { cwd: root, stdio: 'inherit' })
