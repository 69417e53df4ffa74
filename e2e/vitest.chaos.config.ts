import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

/**
 * `pnpm test:chaos`: the reliability runs alone, at the scale CHAOS_SCALE names (the script sets
 * full), one file at a time, with one table of all their figures at the end. The short form runs
 * in the e2e project of the normal `pnpm test`.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // the workspace's packages resolve to their TypeScript sources here, to dist/ for plain Node
  ssr: { resolve: { conditions: ['source', 'module', 'node', 'development|production'] } },
  test: {
    name: 'chaos',
    include: ['src/chaos/**/*.test.ts'],
    globalSetup: ['src/chaos/summary.ts'],
    fileParallelism: false,
    testTimeout: 20 * 60_000,
    hookTimeout: 120_000,
  },
})
