import { type ChildProcess, spawn } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { Session } from 'node:inspector'
import { basename, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath, pathToFileURL } from 'node:url'

/** A server running in a process of its own, so it never shares a thread with the load generator. */
export interface ChildServer<T> {
  /** What the server printed, and its pid. */
  info: T & { pid: number }
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
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=source', script],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    }
  )
  const lines = createInterface({ input: child.stdout! })
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve)
    child.once('exit', (code) =>
      reject(new Error(`bench server ${name} exited (${code}) before it was ready`))
    )
  })
  return {
    info: JSON.parse(first) as T & { pid: number },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}

/** The servers that run a signer under load: the ones `BENCH_CPU_PROF` profiles. */
const SIGNERS = new Set(['checkout', 'purchase-signer', 'store-signer'])

/**
 * With `BENCH_CPU_PROF=<dir>`, a signer server profiles its main thread with V8's sampling
 * profiler (what `node --cpu-prof` runs) from the moment it is ready to the moment it is stopped,
 * so start-up is left out, and writes `<dir>/<server>[-pg]-<pid>.cpuprofile`: read it with
 * `tsx bench/profile-top.ts`. Answers what stops the profiler and writes the file.
 */
function profiling(): (() => void) | undefined {
  const root = process.env.BENCH_CPU_PROF
  const server = basename(process.argv[1] ?? '', '.ts')
  if (!root || !SIGNERS.has(server)) return undefined
  const session = new Session()
  session.connect()
  session.post('Profiler.enable')
  session.post('Profiler.start')
  const engine = process.env.DATABASE_URL?.startsWith('postgres') ? '-pg' : ''
  return () =>
    session.post('Profiler.stop', (error, result) => {
      if (error) throw error
      mkdirSync(root, { recursive: true })
      writeFileSync(
        join(root, `${server}${engine}-${process.pid}.cpuprofile`),
        JSON.stringify(result.profile)
      )
      session.disconnect()
    })
}

/** For the servers: prints what the bench needs and its pid, then stays up until the bench stops it. */
export function ready(info: object, close: () => Promise<unknown> | unknown): void {
  const stopProfiling = profiling()
  process.stdout.write(`${JSON.stringify({ ...info, pid: process.pid })}\n`)
  process.once('SIGTERM', () => {
    stopProfiling?.()
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

/**
 * For the servers: the signer package, or the copy of its sources that SIGNER_SOURCES names (a
 * variant of the machinery bench).
 */
export async function signerPackage(): Promise<typeof import('@fps-checkout/signer')> {
  const sources = process.env.SIGNER_SOURCES
  if (sources === undefined) return import('@fps-checkout/signer')
  return (await import(
    pathToFileURL(join(sources, 'index.ts')).href
  )) as typeof import('@fps-checkout/signer')
}
