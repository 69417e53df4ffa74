import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'sandbox',
    include: ['src/**/*.test.ts'],
    globalSetup: ['src/signing-key.test-support.ts'],
  },
})
