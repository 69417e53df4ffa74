import type { TestProject } from 'vitest/node'
import { generateSigningKey, type SigningKey } from '../src/certs/signing-key.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** One RSA key for the whole suite: generating one per test file costs seconds on 2 cores. */
    signingKey: SigningKey
  }
}

/** Vitest global setup: makes the suite's signing key once and hands it to every test file. */
export default function setup(project: TestProject): void {
  project.provide('signingKey', generateSigningKey())
}
