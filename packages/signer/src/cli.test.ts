import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { freePort, Harness } from '@fps-checkout/signer/testing'
import Database from 'libsql'
import { beforeAll, describe, expect, it } from 'vitest'

const PACKAGE = join(import.meta.dirname, '..')
const resolve = createRequire(import.meta.url).resolve
/** The package's bin on plain Node: the compiled CLI, reading the workspace's packages from dist/. */
const BIN = [join(PACKAGE, 'bin', 'fps-signer.js')]

// build the CLI the bin runs (incremental: a second or two when it is up to date)
beforeAll(() => {
  execFileSync(process.execPath, [resolve('typescript/bin/tsc'), '--build', 'tsconfig.lib.json'], {
    cwd: PACKAGE,
    stdio: 'pipe',
  })
}, 120_000)

/** A working directory with a `.env`, as a merchant would run the CLI. */
function workdir(env: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'fps-signer-cli-'))
  const lines = Object.entries({ DATABASE_URL: `file:${join(dir, 'signer.db')}`, ...env })
  writeFileSync(join(dir, '.env'), lines.map(([name, value]) => `${name}=${value}`).join('\n'))
  return dir
}

const settings = {
  FPS_ACCESS_KEY_ID: 'AKIACLITEST',
  FPS_SECRET_KEY: 'cli-secret-key',
  FPS_RETURN_URL: 'https://shop.example/return',
  FPS_API_URL: 'http://127.0.0.1:9/',
}

function run(args: string[], cwd: string, env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [...BIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

async function finished(child: ChildProcess) {
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk) => {
    stdout += chunk
  })
  child.stderr?.on('data', (chunk) => {
    stderr += chunk
  })
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  return { code, stdout, stderr }
}

/** The URL the server prints once it listens. */
function listening(child: ChildProcess): Promise<string> {
  return new Promise((resolve) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const parsed = JSON.parse(line) as { msg?: string; url?: string }
      if (parsed.msg === 'listening' && parsed.url) resolve(parsed.url)
    })
  })
}

/** Each test starts Node processes with tsx: seconds each on a busy 2-core machine. */
describe('fps-signer', { timeout: 30_000 }, () => {
  it('stops at start-up with one line naming a missing setting', async () => {
    const { FPS_SECRET_KEY: _, ...withoutSecret } = settings
    const { code, stderr, stdout } = await finished(run([], workdir(withoutSecret)))
    expect(code).toBe(1)
    expect(stderr).toBe('fps-signer: FPS_SECRET_KEY: is required\n')
    expect(stdout).toBe('')
  })

  it('stops at start-up with one line naming DATABASE_URL when another process holds the database', async () => {
    const dir = workdir(settings)
    const holder = new Database(join(dir, 'signer.db'))
    try {
      holder.exec('PRAGMA journal_mode = WAL')
      holder.exec('BEGIN EXCLUSIVE')
      const { code, stderr } = await finished(run([], dir, { PORT: '0' }))
      expect({ code, stderr }).toEqual({
        code: 1,
        stderr:
          'fps-signer: DATABASE_URL: cannot write to the database: it is locked by another connection (SQLITE_BUSY)\n',
      })
    } finally {
      holder.close()
    }
  })

  it('names a malformed PORT, and an unknown command gets the usage', async () => {
    const [badPort, unknown] = await Promise.all([
      finished(run([], workdir(settings), { PORT: 'eighty' })),
      finished(run(['dance'], workdir(settings))),
    ])
    expect(badPort).toMatchObject({
      code: 1,
      stderr: 'fps-signer: PORT: must be a port number from 0 to 65535\n',
    })
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/^Usage: fps-signer/)
  })

  it('serves from the settings in .env until told to stop', async () => {
    const child = run([], workdir(settings), { PORT: '0' })
    const exit = finished(child)
    const url = await listening(child)
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ ok: true })
    child.kill('SIGTERM')
    expect((await exit).code).toBe(0)
  })

  it('takes PORT and HOST from .env too, and the environment wins over .env', async () => {
    const [port, other] = [await freePort(), await freePort()]
    const fromFile = run([], workdir({ ...settings, PORT: String(port), HOST: 'localhost' }))
    const overridden = run([], workdir({ ...settings, PORT: 'eighty', HOST: 'localhost' }), {
      PORT: String(other),
    })
    const exits = [finished(fromFile), finished(overridden)]
    const urls = await Promise.all([listening(fromFile), listening(overridden)])
    expect(urls).toEqual([`http://localhost:${port}`, `http://localhost:${other}`])
    for (const url of urls) expect((await fetch(`${url}/healthz`)).status).toBe(200)
    fromFile.kill('SIGTERM')
    overridden.kill('SIGTERM')
    expect((await Promise.all(exits)).map(({ code }) => code)).toEqual([0, 0])
  })

  it('runs one reconciliation sweep with `reconcile`', async () => {
    const { code, stdout } = await finished(run(['reconcile'], workdir(settings)))
    expect(code).toBe(0)
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual({
      resent: 0,
      recovered: 0,
      expired: 0,
      settled: 0,
      charged: 0,
      failed: 0,
    })
  })

  it('refuses an option its command does not take, a malformed time, activity without --from, a period without --ledger', async () => {
    const dir = workdir(settings)
    const answers = await Promise.all(
      [
        ['serve', '--from', '2026-01-01'],
        ['activity'],
        ['activity', '--from', 'monday'],
        ['account', 'x'],
        ['reconcile', '--to', '2026-01-01'],
      ].map((args) => finished(run(args, dir)))
    )
    expect(answers.map(({ code, stderr }) => [code, stderr.split('\n')[0]])).toEqual([
      [2, 'fps-signer: serve takes no --from'],
      [2, 'fps-signer: activity needs --from'],
      [2, 'fps-signer: --from: must be an ISO 8601 date or date-time'],
      [2, expect.stringMatching(/^fps-signer: Unexpected argument 'x'/)],
      [2, 'fps-signer: reconcile takes --from and --to with --ledger'],
    ])
  })

  it("prints the FPS account's balance and its transactions", async () => {
    const h = await Harness.start()
    try {
      const since = new Date(Date.now() - 60_000).toISOString()
      const { json } = await h.checkout({ amount: '1.50', reason: 'CLI' })
      await h.returnWith(await h.authorize(json.url!))
      const dir = workdir({
        ...settings,
        ...{ FPS_ACCESS_KEY_ID: h.key.accessKeyId, FPS_SECRET_KEY: h.key.secretKey },
        FPS_API_URL: `${h.sandboxUrl}/`,
      })
      const [account, activity] = await Promise.all([
        finished(run(['account'], dir)),
        finished(run(['activity', '--from', since], dir)),
      ])
      expect(account.code).toBe(0)
      expect(JSON.parse(account.stdout).account).toMatchObject({ disburse: '1.50', total: '1.50' })
      expect(activity.code).toBe(0)
      expect(
        activity.stdout
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line))
      ).toEqual([
        expect.objectContaining({
          callerReference: json.callerReference,
          operation: 'Pay',
          status: 'Success',
          amount: '1.50',
        }),
      ])
    } finally {
      await h.close()
    }
  })

  it('compares the orders with FPS account activity with `reconcile --ledger`, exit 1 on a disagreement', async () => {
    const h = await Harness.start()
    try {
      const { json } = await h.checkout({ amount: '2.00', reason: 'CLI ledger' })
      await h.returnWith(await h.authorize(json.url!))
      const unpaid = await h.checkout({ amount: '3.00', reason: 'Never paid' })
      const dir = workdir({
        ...settings,
        ...{ FPS_ACCESS_KEY_ID: h.key.accessKeyId, FPS_SECRET_KEY: h.key.secretKey },
        FPS_API_URL: `${h.sandboxUrl}/`,
        DATABASE_URL: h.signerOptions.databaseUrl!,
      })
      const lines = (stdout: string) =>
        stdout
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line))
      const clean = await finished(run(['reconcile', '--ledger'], dir))
      expect(clean.code).toBe(0)
      expect(lines(clean.stdout)).toEqual([
        expect.objectContaining({ orders: 2, transactions: 1, disagreements: 0 }),
      ])
      const db = new Database(h.signerOptions.databaseUrl!.replace(/^file:/, ''), {
        timeout: 5_000,
      })
      db.prepare("UPDATE orders SET status = 'success' WHERE caller_reference = ?").run(
        unpaid.json.callerReference
      )
      db.close()
      const since = new Date(Date.now() - 60_000).toISOString()
      const planted = await finished(run(['reconcile', '--ledger', '--from', since], dir))
      expect(planted.code).toBe(1)
      expect(lines(planted.stdout)).toEqual([
        expect.objectContaining({
          kind: 'missing_payment',
          callerReference: unpaid.json.callerReference,
        }),
        expect.objectContaining({ from: since, orders: 2, disagreements: 1 }),
      ])
    } finally {
      await h.close()
    }
  })
})
