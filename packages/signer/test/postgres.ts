import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { inject } from 'vitest'

/**
 * A fresh, empty database in the run's throwaway cluster. Throws (failing the test, never
 * skipping it) when the cluster could not start.
 */
export async function createTestDatabase(): Promise<string> {
  const url = inject('postgresUrl')
  if (!url) throw new Error(`No PostgreSQL for this test: ${inject('postgresError')}`)
  const name = `signer_${randomBytes(6).toString('hex')}`
  const admin = postgres(url, { max: 1, onnotice: () => undefined })
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`)
  } finally {
    await admin.end()
  }
  const database = new URL(url)
  database.pathname = `/${name}`
  return database.href
}
