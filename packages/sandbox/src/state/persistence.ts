import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError } from '../errors.js'
import type { Snapshot } from './store.js'

const STATE_FILE = 'state.json'

/** Reads the snapshot kept in a data directory, or undefined on first start. */
export function loadSnapshot(dataDir: string): Snapshot | undefined {
  let text: string
  try {
    text = readFileSync(join(dataDir, STATE_FILE), 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  const snapshot = JSON.parse(text) as Snapshot
  if (snapshot.format !== 1) {
    throw new ConfigError(
      `${join(dataDir, STATE_FILE)} has an unknown format; move it away to start afresh.`
    )
  }
  return snapshot
}

/** Writes the snapshot to a temporary file and renames it, so a crash leaves the old or the new one. */
export function saveSnapshot(dataDir: string, snapshot: Snapshot): void {
  mkdirSync(dataDir, { recursive: true })
  const target = join(dataDir, STATE_FILE)
  const temporary = `${target}.${process.pid}.tmp`
  writeFileSync(temporary, JSON.stringify(snapshot))
  renameSync(temporary, target)
}
