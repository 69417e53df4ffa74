import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A directory on a file system the test owns; `remove` unmounts it (lazily) and deletes it. */
export interface TestMount {
  dir: string
  remove(): void
}

let mountable: boolean | undefined

/**
 * Whether this process may mount file systems (root with CAP_SYS_ADMIN, as in the dev container;
 * not an unprivileged CI runner). A real full disk or read-only mount needs it; chmod does not stop
 * root from writing.
 */
export function canMount(): boolean {
  if (mountable !== undefined) return mountable
  try {
    const { remove } = tmpfs(64 * 1024)
    remove()
    mountable = true
  } catch {
    mountable = false
  }
  return mountable
}

/** A tmpfs of `bytes`: fill it and SQLite's writes fail with SQLITE_FULL, as on a full disk. */
export function tmpfs(bytes: number): TestMount {
  const dir = mkdtempSync(join(tmpdir(), 'fps-signer-tmpfs-'))
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir], { stdio: 'pipe' })
  } catch (error) {
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
  return { dir, remove: () => unmount(dir) }
}

/**
 * A read-only view of `dir` (a read-only bind mount): what a process sees on a disk mounted
 * read-only, whoever it runs as.
 */
export function readOnlyView(dir: string): TestMount {
  const view = mkdtempSync(join(tmpdir(), 'fps-signer-ro-'))
  execFileSync('mount', ['--bind', dir, view], { stdio: 'pipe' })
  execFileSync('mount', ['-o', 'remount,bind,ro', view], { stdio: 'pipe' })
  return { dir: view, remove: () => unmount(view) }
}

/** Writes files into `dir` until its file system refuses with ENOSPC; answers a way to free them. */
export function fillDisk(dir: string): () => void {
  const filler = join(dir, 'filler')
  mkdirSync(filler)
  const chunk = Buffer.alloc(16 * 1024)
  for (let i = 0; ; i++) {
    try {
      writeFileSync(join(filler, String(i)), chunk)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error
      break
    }
  }
  // the last few bytes too, so not even a small page fits
  for (let i = 0; ; i++) {
    try {
      writeFileSync(join(filler, `small-${i}`), Buffer.alloc(512))
    } catch {
      break
    }
  }
  return () => rmSync(filler, { recursive: true, force: true })
}

/** Lazy, since the driver lets go of a closed database's files only when it is collected. */
function unmount(dir: string): void {
  execFileSync('umount', ['-l', dir], { stdio: 'pipe' })
  rmSync(dir, { recursive: true, force: true })
}
