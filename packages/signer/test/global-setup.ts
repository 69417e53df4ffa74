import type { TestProject } from 'vitest/node'
import { type PostgresCluster, startPostgres } from '../testing/postgres-cluster.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The throwaway cluster's URL, or empty when it could not start. */
    postgresUrl: string
    /** Why the cluster could not start; tests that need it fail with this. */
    postgresError: string
  }
}

/** Starts one PostgreSQL cluster for the signer's tests and removes it afterwards. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let cluster: PostgresCluster | undefined
  try {
    cluster = await startPostgres()
    project.provide('postgresUrl', cluster.url)
    project.provide('postgresError', '')
  } catch (error) {
    project.provide('postgresUrl', '')
    project.provide('postgresError', (error as Error).message)
  }
  return async () => {
    await cluster?.stop()
  }
}
