/** Builds the package once for every test file: declarations (tsc), then dist/ (vite, manifest). */
import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

export default function setup(): void {
  const resolve = createRequire(import.meta.url).resolve
  const cwd = fileURLToPath(new URL('..', import.meta.url))
  execFileSync(process.execPath, [resolve('typescript/bin/tsc'), '--build', 'tsconfig.lib.json'], {
    cwd,
    stdio: 'inherit',
  })
  // vitest sets NODE_ENV=test, with which vite would bundle Lit's development build
  execFileSync(process.execPath, [resolve('tsx/cli'), 'scripts/build.ts'], {
    cwd,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  })
}
