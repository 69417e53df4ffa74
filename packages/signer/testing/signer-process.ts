import { type ChildProcess, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import type { SignerSettings } from '@fps-checkout/signer'

/**
 * The child's entry point beside this file: `.ts` under the workspace's test runner (run with
 * tsx), `.js` once built.
 */
const ENTRY = import.meta.url.endsWith('.ts')
  ? {
      script: fileURLToPath(new URL('./signer-process-main.ts', import.meta.url)),
      flags: ['--import', 'tsx', '--conditions=source'],
    }
  : { script: fileURLToPath(new URL('./signer-process-main.js', import.meta.url)), flags: [] }

/** How a signer process runs, besides the signer's settings. */
export interface SignerProcessOptions {
  /** Milliseconds between the process's own sweeps (as `serveSigner` runs them); 0, the default, none. */
  sweepIntervalMs?: number
  /**
   * A file holding how many milliseconds the signer's clock runs ahead of real time, read at every
   * reading of the clock (no file, or an empty one, is 0): the test moves the process's time by
   * writing it (atomically: write another file, then rename it over this one), as it moves a
   * `testClock()` or the sandbox's clock.
   */
  clockOffsetFile?: string
}

/** A signer in a process of its own, to be killed without warning. */
export interface SignerProcess {
  url: string
  /** kill -9, resolved once the process is gone. */
  kill(): Promise<void>
}

/**
 * Starts a signer in a child process, for tests of what survives a kill -9, and waits until it
 * listens; `options` may have it sweep on its own, on a clock the test moves. Its JSON log lines
 * are read (so a full pipe never stalls it) and given to `log`, if any. Rejects with its stderr if
 * it exits first.
 */
export function startSignerProcess(
  settings: SignerSettings,
  log?: (line: string) => void,
  options: SignerProcessOptions = {}
): Promise<SignerProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [...ENTRY.flags, ENTRY.script, JSON.stringify(settings), JSON.stringify(options)],
    { stdio: ['ignore', 'pipe', 'pipe'] }
  )
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000)
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return new Promise((resolve, reject) => {
    void exited.then(() => reject(new Error(`The signer process exited: ${stderr}`)))
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return
      log?.(line)
      const parsed = JSON.parse(line) as { msg?: string; url?: string }
      if (parsed.msg !== 'listening' || !parsed.url) return
      resolve({
        url: parsed.url,
        async kill() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
          await exited
        },
      })
    })
  })
}
