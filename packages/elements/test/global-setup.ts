/**
 * Builds the package once for every test file, declarations (tsc) then dist/ (vite, manifest),
 * unless dist/ is newer than everything it is built from (as right after `pnpm build`).
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const cwd = fileURLToPath(new URL('..', import.meta.url))
const inputs = ['src', 'scripts', 'package.json', 'custom-elements-manifest.config.js']
const outputs = ['fps-elements.js', 'fps-elements.iife.js', 'react.d.ts', 'custom-elements.json']

/** Modification times of a file, or of every file below a folder (none if it is missing). */
function mtimes(path: string): number[] {
  const stat = statSync(join(cwd, path), { throwIfNoEntry: false })
  if (!stat?.isDirectory()) return stat ? [stat.mtimeMs] : []
  return readdirSync(join(cwd, path)).flatMap((name) => mtimes(join(path, name)))
}

export default function setup(): void {
  const resolve = createRequire(import.meta.url).resolve
  execFileSync(process.execPath, [resolve('typescript/bin/tsc'), '--build', 'tsconfig.lib.json'], {
    cwd,
    stdio: 'inherit',
  })
  const built = Math.min(...outputs.map((o) => mtimes(`dist/${o}`)[0] ?? 0))
  if (built > Math.max(...inputs.flatMap(mtimes))) return
  // vitest sets NODE_ENV=test, with which vite would bundle Lit's development build
  execFileSync(process.execPath, [resolve('tsx/cli'), 'scripts/build.ts'], {
    cwd,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  })
}
