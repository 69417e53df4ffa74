import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/**
 * The last commit whose tree carried the machinery added for benchmark figures: the SQLite group
 * commit, its fdatasync handle and checkpoint thread, the id byte pool, the SigV2 signer's caches.
 */
const MACHINERY = 'b42b3f30e184567e4edb7ed2087eb3f505282f52'

/** A source file of a variant, by its path in the package's `src`, and its text. */
export interface Graft {
  path: string
  text: string
}

/** A file of a package's `src` as the machinery commit had it, with `edits` applied in order. */
export function machinery(
  pkg: string,
  path: string,
  ...edits: ((text: string) => string)[]
): Graft {
  const text = execFileSync('git', ['show', `${MACHINERY}:packages/${pkg}/src/${path}`], {
    cwd: ROOT,
    encoding: 'utf8',
  })
  return { path, text: edits.reduce((edited, edit) => edit(edited), text) }
}

/** A file of a package's `src` as the tree has it. */
export function treeFile(pkg: string, path: string): string {
  return readFileSync(join(ROOT, 'packages', pkg, 'src', path), 'utf8')
}

/** Replaces `from` once, and fails loudly when the grafted text no longer holds it. */
export function replacing(from: string, to: string): (text: string) => string {
  return (text) => {
    if (!text.includes(from)) throw new Error(`the grafted source has no "${from}"`)
    return text.replace(from, to)
  }
}

/**
 * A copy of a workspace package's `src` as the tree has it, with `grafts` written over it: the
 * machinery the tree no longer carries put back, or the stock path in place of machinery it keeps.
 * The copy sits in the package's `node_modules`, so its imports resolve to the package's
 * dependencies and git ignores it. Answers the copy's `src` folder.
 */
export function variantSources(pkg: string, name: string, grafts: readonly Graft[] = []): string {
  const packageDir = join(ROOT, 'packages', pkg)
  const src = join(packageDir, 'node_modules', '.cache', 'bench-variants', name, 'src')
  rmSync(src, { recursive: true, force: true })
  cpSync(join(packageDir, 'src'), src, {
    recursive: true,
    filter: (path) => !path.endsWith('.test.ts'),
  })
  for (const { path, text } of grafts) {
    mkdirSync(dirname(join(src, path)), { recursive: true })
    writeFileSync(join(src, path), text)
  }
  return src
}
