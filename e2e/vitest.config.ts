import { defineProject } from 'vitest/config'

export default defineProject({
  // the workspace's packages resolve to their TypeScript sources here, to dist/ for plain Node
  ssr: { resolve: { conditions: ['source', 'module', 'node', 'development|production'] } },
  test: {
    name: 'e2e',
    include: ['src/**/*.test.ts'],
    // the installed-package checks run apart, in `pnpm test:packages`
    exclude: ['src/packages/**'],
    // One Chromium and one demo stack per file; files run one at a time on two cores.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
