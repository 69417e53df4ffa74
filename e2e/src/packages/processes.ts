import { type ChildProcess, spawn } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

/** A server in a process of its own, at the URL it printed. */
export interface Served {
  url: string
  stop(): Promise<void>
}

/**
 * Starts `node <args>` and waits for the first http URL it prints on stdout (a CLI's banner or
 * its JSON "listening" line). Rejects with its output if it exits first or stays silent for 20 s.
 */
export function serveProcess(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string> }
): Promise<Served> {
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    await exited
  }
  return new Promise((resolve, reject) => {
    const silent = setTimeout(() => {
      void stop().then(() =>
        reject(new Error(`No URL within 20 s from ${args.join(' ')}:\n${output}`))
      )
    }, 20_000)
    void exited.then(() => {
      clearTimeout(silent)
      reject(new Error(`${args.join(' ')} exited:\n${output}`))
    })
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output += `${line}\n`
      const url = /https?:\/\/[\w.:[\]-]+/.exec(line)?.[0]
      if (!url) return
      clearTimeout(silent)
      resolve({ url, stop })
    })
  })
}

/** The merchant's key pair: the installed sandbox knows it, the installed signer signs with it. */
export const CALLER = {
  accessKeyId: 'AKIAPACKAGESTEST0001',
  secretKey: 'packages-test-secret-0000000000000001',
}

/** A command an installed package put in the consumer's node_modules/.bin. */
export function installedBin(consumerDir: string, name: 'fps-sandbox' | 'fps-signer'): string {
  return join(consumerDir, 'node_modules', '.bin', name)
}

/** The installed `fps-sandbox` on a free port, knowing the merchant's key pair only. */
export function serveInstalledSandbox(consumerDir: string): Promise<Served> {
  const caller = `${CALLER.accessKeyId}:${CALLER.secretKey}`
  return serveProcess(
    [installedBin(consumerDir, 'fps-sandbox'), '--port', '0', '--caller', caller],
    {
      cwd: consumerDir,
    }
  )
}

/** The environment a shop gives its signer against that sandbox, with its orders in `database`. */
export function signerSettings(sandboxUrl: string, database: string): Record<string, string> {
  return {
    FPS_ACCESS_KEY_ID: CALLER.accessKeyId,
    FPS_SECRET_KEY: CALLER.secretKey,
    FPS_API_URL: `${sandboxUrl}/`,
    FPS_CBUI_URL: `${sandboxUrl}/cobranded-ui/actions/start`,
    FPS_RETURN_URL: 'https://shop.example/return',
    DATABASE_URL: `file:${database}`,
  }
}
