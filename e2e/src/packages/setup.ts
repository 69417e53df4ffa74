import { rmSync } from 'node:fs'
import { dirname } from 'node:path'
import type { TestProject } from 'vitest/node'
import { installConsumer, packAll } from './consumer.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The new user's project, with our tarballs installed by npm. */
    consumerDir: string
    /** Each public package's tarball, by package name. */
    tarballs: Record<string, string>
  }
}

/** Packs and installs once for every file of `pnpm test:packages`; removes both afterwards. */
export default function setup(project: TestProject): () => void {
  const tarballs = packAll()
  const consumerDir = installConsumer(tarballs)
  project.provide('tarballs', tarballs)
  project.provide('consumerDir', consumerDir)
  return () => {
    rmSync(consumerDir, { recursive: true, force: true })
    const packs = Object.values(tarballs)[0]
    if (packs) rmSync(dirname(packs), { recursive: true, force: true })
  }
}
