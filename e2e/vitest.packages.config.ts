import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

/**
 * `pnpm test:packages`: the public packages as a release packs them, installed by npm into a
 * project outside the workspace, and used the ways the READMEs say. Run after `pnpm build`.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // the workspace's packages resolve to their TypeScript sources here, to dist/ for plain Node
  ssr: { resolve: { conditions: ['source', 'module', 'node', 'development|production'] } },
  test: {
    name: 'packages',
    include: ['src/packages/**/*.test.ts'],
    globalSetup: ['src/packages/setup.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
})
