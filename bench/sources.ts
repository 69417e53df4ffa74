import { execSync } from 'node:child_process'
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

/** The working tree's signer sources, the other side of a side-by-side run. */
export const TREE_SOURCES = join(ROOT, 'packages/signer/src')

/**
 * The signer's sources at a commit, in a directory where they find the package's dependencies:
 * one per run (sessions run this beside each other), removed when the run ends.
 */
export function sourcesAt(ref: string, name: string): string {
  const dir = join(ROOT, `packages/signer/node_modules/.cache/bench-${name}-${process.pid}`)
  mkdirSync(dir, { recursive: true })
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
  execSync(`git archive ${ref} packages/signer/src | tar -x -C ${dir} --strip-components=2`, {
    cwd: ROOT,
  })
  return join(dir, 'src')
}
