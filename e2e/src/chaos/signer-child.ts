import { type ChildProcess, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import type { SignerSettings } from '../../../packages/signer/src/config.js'

/** The signer package's own kill-test entry point: options as JSON in argv, its URL on stdout. */
const SCRIPT = fileURLToPath(
  new URL('../../../packages/signer/src/testing/signer-process.ts', import.meta.url)
)

/** A signer in a process of its own, to be killed without warning. */
export interface SignerChild {
  url: string
  /** kill -9, resolved once the process is gone. */
  kill(): Promise<void>
}

/**
 * Starts `signer-process.ts` under tsx and waits for its "listening" line; its JSON log lines are
 * read (so a full pipe never stalls it) and given to `log`, if any. Rejects with its stderr if it
 * exits first.
 */
export function startSignerChild(
  settings: SignerSettings,
  log?: (line: string) => void
): Promise<SignerChild> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', SCRIPT, JSON.stringify(settings)],
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
