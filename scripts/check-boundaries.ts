/**
 * Fails when a relative import crosses a package root: code reaches another package only through
 * its name and `exports`, so what a package publishes is all that others use.
 * Run by `pnpm lint`; prints each offending import as `file:line: specifier`.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import ts from 'typescript'

const root = resolve(import.meta.dirname, '..')

/** The nearest directory at or above `dir` that holds a package.json: the package a file is in. */
function packageRoot(dir: string): string {
  for (let at = dir; at !== root; at = dirname(at)) {
    if (existsSync(join(at, 'package.json'))) return at
  }
  return root
}

const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
  cwd: root,
  encoding: 'utf8',
})
  .split('\n')
  .filter((file) => /\.(ts|tsx|js|mjs)$/.test(file) && existsSync(join(root, file)))

const crossings: string[] = []
for (const file of files) {
  const path = join(root, file)
  const source = readFileSync(path, 'utf8')
  const home = packageRoot(dirname(path))
  const { importedFiles } = ts.preProcessFile(source, true, true)
  for (const { fileName, pos } of importedFiles) {
    if (!fileName.startsWith('.')) continue
    const target = resolve(dirname(path), fileName)
    if (target.startsWith(`${root}/`) && packageRoot(dirname(target)) === home) continue
    const line = source.slice(0, pos).split('\n').length
    crossings.push(`${file}:${line}: ${fileName}`)
  }
}

if (crossings.length > 0) {
  console.error(
    `${crossings.length} relative import(s) cross a package root; import the package by name instead:\n${crossings.join('\n')}`
  )
  process.exit(1)
}
console.log(`check-boundaries: ${files.length} files, no relative import crosses a package root`)
