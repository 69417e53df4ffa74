import { type ChildProcess, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

/** A server running in a process of its own, so it never shares a thread with the load generator. */
export interface ChildServer<T> {
  info: T
  stop(): Promise<void>
}

/**
 * Starts `bench/servers/<name>.ts` under tsx and answers the JSON it prints on its first line
 * (its URL and whatever else it prepared).
 */
export async function startChild<T>(
  name: string,
  env: Record<string, string> = {}
): Promise<ChildServer<T>> {
  const script = fileURLToPath(new URL(`./servers/${name}.ts`, import.meta.url))
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const lines = createInterface({ input: child.stdout! })
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve)
    child.once('exit', (code) =>
      reject(new Error(`bench server ${name} exited (${code}) before it was ready`))
    )
  })
  return {
    info: JSON.parse(first) as T,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}

/** For the servers: prints what the bench needs, then stays up until the bench stops it. */
export function ready(info: object, close: () => Promise<unknown> | unknown): void {
  process.stdout.write(`${JSON.stringify(info)}\n`)
  process.once('SIGTERM', () => {
    Promise.resolve()
      .then(close)
      .then(
        () => process.exit(0),
        (error: unknown) => {
          console.error('The server did not close cleanly:', error)
          process.exit(1)
        }
      )
  })
}
