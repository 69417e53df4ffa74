/**
 * Issue 19's per-request work side by side, in one process: the signer's sources at a commit
 * (BASE, HEAD by default) against the working tree (or, with BASE..TARGET, against the sources
 * at TARGET, which leaves out whatever else is uncommitted in the tree), and Hono's hello world, each driven through
 * `@hono/node-server`'s listener with Node's own request and response objects over a socket that
 * drops what is written. What it leaves out (the HTTP parser, the socket) is the same for all
 * three, and the machine's load moves all three alike, since the rounds alternate in one process:
 * it tells per-request CPU apart where the HTTP figures of a shared 2-core machine cannot.
 *
 *   npx tsx --conditions=source bench/middleware-cpu.ts [BASE[..TARGET]] [/healthz|/checkout] [rounds] [per round]
 *
 * Prints CPU µs a request (process.cpuUsage, all threads): median and first quartile of the rounds.
 */
import { mkdtempSync } from 'node:fs'
import { IncomingMessage, ServerResponse } from 'node:http'
import { Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { pathToFileURL } from 'node:url'
import { getRequestListener } from '@hono/node-server'
import { Hono } from 'hono'
import { sourcesAt, TREE_SOURCES } from './sources.js'

const [refs = 'HEAD', path = '/healthz', roundsArg = '150', perRoundArg = '500'] =
  process.argv.slice(2)
const rounds = Number(roundsArg)
const perRound = Number(perRoundArg)

type Listener = ReturnType<typeof getRequestListener>

async function signerAt(src: string): Promise<Listener> {
  const { createSigner } = (await import(
    pathToFileURL(join(src, 'index.ts')).href
  )) as typeof import('@fps-checkout/signer')
  const signer = createSigner({
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    secretKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    returnUrl: 'https://shop.example/return',
    catalog: { items: { 'now-and-forever': { price: '0.90' } } },
    databaseUrl: `file:${join(mkdtempSync(join(tmpdir(), 'fps-bench-cpu-')), 'signer.db')}`,
    checkoutRateLimit: { limit: 1_000_000_000, windowMs: 60_000 },
    log: () => {},
  })
  await signer.ready
  return getRequestListener(signer.app.fetch)
}

const [base, target] = refs.split('..') as [string, string | undefined]

const hello = new Hono().get('/', (c) => c.text('Hello Hono!'))
const sides: [string, Listener, string][] = [
  ['hello world', getRequestListener(hello.fetch), '/'],
  [base, await signerAt(sourcesAt(base, 'cpu-base')), path],
  target
    ? [target, await signerAt(sourcesAt(target, 'cpu-target')), path]
    : ['tree', await signerAt(TREE_SOURCES), path],
]

const body = JSON.stringify({ amount: '0.90', reason: 'Now and Forever', item: 'now-and-forever' })

/** One request through the listener, answered to a socket that drops the bytes. */
async function request(listener: Listener, url: string): Promise<void> {
  const req = new IncomingMessage(new Socket())
  const post = url === '/checkout'
  const headers: Record<string, string> = { host: '127.0.0.1:3000', connection: 'keep-alive' }
  if (post)
    Object.assign(headers, {
      'content-type': 'application/json',
      'content-length': String(body.length),
    })
  Object.assign(req, {
    method: post ? 'POST' : 'GET',
    url,
    headers,
    rawHeaders: Object.entries(headers).flat(),
  })
  if (post) req.push(body)
  req.push(null)
  const res = new ServerResponse(req)
  const socket = new Writable({
    write: (_chunk, _encoding, done) => done(),
    writev: (_chunks, done) => done(),
  })
  ;(res as unknown as { assignSocket(socket: Writable): void }).assignSocket(socket)
  const finished = new Promise<void>((resolve) => res.once('finish', resolve))
  await listener(req, res)
  await finished
}

const times = new Map<string, number[]>()
for (let round = 0; round < rounds; round++) {
  for (const [name, listener, url] of round % 2 ? [...sides].reverse() : sides) {
    const started = process.cpuUsage()
    for (let i = 0; i < perRound; i++) await request(listener, url)
    const used = process.cpuUsage(started)
    times.set(name, [...(times.get(name) ?? []), (used.user + used.system) / perRound])
  }
}
const at = (values: number[], q: number) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length * q)] ?? 0
console.log(
  `${path}, ${rounds} rounds of ${perRound} requests, CPU µs a request (median, first quartile):`
)
for (const [name] of sides) {
  const values = times.get(name) ?? []
  console.log(
    `  ${name.padEnd(12)} ${at(values, 0.5).toFixed(1).padStart(6)} ${at(values, 0.25).toFixed(1).padStart(6)}`
  )
}
