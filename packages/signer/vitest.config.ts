import { defineProject } from 'vitest/config'

export default defineProject({
  // the workspace's packages resolve to their TypeScript sources here, to dist/ for plain Node
  ssr: { resolve: { conditions: ['source', 'module', 'node', 'development|production'] } },
  test: {
    name: 'signer',
    include: ['src/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // The test files share no module state, so a worker may reuse modules across them.
    isolate: false,
  },
})
