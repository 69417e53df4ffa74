import { spawnSync } from 'node:child_process'

/** What a command printed and how it ended. */
export interface Ran {
  status: number | null
  output: string
}

/** Runs a command to its end (no shell), with stdout and stderr together for failure messages. */
export function run(command: string, args: readonly string[], cwd: string): Ran {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  return { status: result.status, output: `${result.stdout}${result.stderr}` }
}
