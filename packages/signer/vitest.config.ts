import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'signer',
    include: ['src/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // The test files share no module state, so a worker may reuse modules across them.
    isolate: false,
  },
})
