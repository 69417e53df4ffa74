import { defineProject } from 'vitest/config'

export default defineProject({
  // the workspace's packages resolve to their TypeScript sources here, to dist/ for plain Node
  ssr: { resolve: { conditions: ['source', 'module', 'node', 'development|production'] } },
  test: { name: 'protocol', include: ['src/**/*.test.ts'] },
})
