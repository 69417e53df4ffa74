import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'

/** The READMEs a user reads: the repository's and each public package's. */
export const READMES = [
  'README.md',
  'packages/protocol/README.md',
  'packages/sandbox/README.md',
  'packages/signer/README.md',
  'packages/elements/README.md',
]

/** A TypeScript block of a README, with what it needs declared but does not show. */
export interface CodeBlock {
  readme: string
  line: number
  language: 'ts' | 'tsx'
  code: string
}

/**
 * Each ```ts and ```tsx block. A block may be preceded by a hidden `<!-- ts-prelude … -->`
 * comment whose lines declare what the snippet takes as given (a key, a request's params); the
 * comment does not show on npm or GitHub, and the check compiles it in front of the block.
 */
export function readmeBlocks(root: string): CodeBlock[] {
  return READMES.flatMap((readme) => {
    const text = readFileSync(resolve(root, readme), 'utf8')
    const pattern = /(?:<!-- ts-prelude\n([\s\S]*?)-->\n)?```(tsx?)\n([\s\S]*?)```/g
    return [...text.matchAll(pattern)].map((match) => ({
      readme,
      line: text.slice(0, match.index).split('\n').length,
      language: match[2] as 'ts' | 'tsx',
      code: `${match[1] ?? ''}${match[3] ?? ''}`,
    }))
  })
}
