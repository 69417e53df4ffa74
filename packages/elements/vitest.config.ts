import { defineProject } from 'vitest/config'

export default defineProject({
  // the workspace's packages resolve to their TypeScript sources here, to dist/ for plain Node
  ssr: { resolve: { conditions: ['source', 'module', 'node', 'development|production'] } },
  test: {
    name: 'elements',
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // The test files share no module state, so a worker may reuse modules (playwright-core).
    isolate: false,
    testTimeout: 15_000,
    hookTimeout: 30_000,
  },
})
