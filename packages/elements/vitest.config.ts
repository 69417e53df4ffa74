import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'elements',
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 15_000,
    hookTimeout: 30_000,
  },
})
