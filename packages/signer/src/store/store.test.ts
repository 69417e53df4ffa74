import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describeStoreConformance } from '@fps-checkout/signer/testing'
import { createTestDatabase } from '../../test/postgres.js'
import { openStore } from './open.js'

const sqliteUrl = `file:${join(mkdtempSync(join(tmpdir(), 'signer-store-')), 'signer.db')}`
describeStoreConformance('SQLite', async () => openStore(sqliteUrl))

let postgresUrl: Promise<string> | undefined
describeStoreConformance('PostgreSQL', async () => {
  postgresUrl ??= createTestDatabase()
  return openStore(await postgresUrl)
})
