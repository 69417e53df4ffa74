import { defineProject } from 'vitest/config'

export default defineProject({
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
