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
      // npm users bring their own Lit (one copy per app); the script tag carries it inside.
      rolldownOptions: { external: format === 'es' ? [/^lit(\/|$)/, /^@lit\//] : [] },
    },
  }
}

/** Writes every file of dist/ but the declarations, which `tsc --build` emits. */
export async function buildElements(): Promise<void> {
  await build(config('src/index.ts', 'es', 'fps-elements.js'))
  await build(config('src/iife.ts', 'iife', 'fps-elements.iife.js'))
  copyFileSync(`${root}src/react.d.ts`, `${root}dist/react.d.ts`)
  const cem = createRequire(import.meta.url).resolve('@custom-elements-manifest/analyzer/cem.js')
  execFileSync(process.execPath, [cem, 'analyze', '--quiet'], { cwd: root, stdio: 'inherit' })
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildElements()
