import autocannon from 'autocannon'
import { median } from './measure.js'

/** What one load run measured. */
export interface LoadResult {
  rps: number
  /** Requests answered, for figures per request. */
  requests: number
  p50: number
  p99: number
  errors: number
  non2xx: number
  /** The first answer outside 2xx, status and start of body, when asked for. */
  firstFailure?: string
}

/** A load run: fixed connections, for a duration or a number of requests. */
export interface LoadOptions {
  url: string
  method?: 'GET' | 'POST'
  headers?: Record<string, string>
  body?: string
  /** A different body per request, taken in order (the purchases bench). */
  bodies?: readonly string[]
  connections?: number
  seconds?: number
  /** Keeps the first failed answer, so a failing run says why (autocannon then reads bodies). */
  describeFailures?: boolean
}

/**
 * Runs autocannon (programmatically) against one URL and answers its throughput and p99 latency.
 * The time is taken from the start to the last response, not from autocannon's start and finish:
 * autocannon ends a fixed number of requests on its next one-second tick, which made 300
 * purchases in 1.4 s read as 300 in 2 s.
 */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const { bodies } = options
  let next = 0
  let started = 0
  let lastResponse = 0
  let firstFailure: string | undefined
  const onResponse = (status: number, body: string) => {
    if (status >= 300 && firstFailure === undefined)
      firstFailure = `${status} ${body.slice(0, 300)}`
  }
  const request = {
    ...(bodies
      ? { setupRequest: (r: autocannon.Request) => ({ ...r, body: bodies[next++] ?? '' }) }
      : {}),
    ...(options.describeFailures ? { onResponse } : {}),
  }
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        method: options.method ?? 'GET',
        headers: options.headers ?? {},
        ...(options.body === undefined ? {} : { body: options.body }),
        connections: options.connections ?? 10,
        ...(Object.keys(request).length ? { requests: [request] } : {}),
        ...(bodies ? { amount: bodies.length } : { duration: options.seconds ?? 3 }),
      },
      (error: unknown, done: autocannon.Result) => (error ? reject(error) : resolve(done))
    )
    instance.on('start', () => {
      started = performance.now()
    })
    instance.on('response', () => {
      lastResponse = performance.now()
    })
  })
  const seconds = (lastResponse - started) / 1000
  return {
    rps: seconds > 0 ? result.requests.total / seconds : 0,
    requests: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    ...(firstFailure === undefined ? {} : { firstFailure }),
  }
}

/**
 * Alternates the floor (hello world) and the workload, so both see the same machine; answers the
 * median of each and of the per-round ratios.
 */
export async function againstFloor(
  floorUrl: string,
  workload: () => Promise<LoadResult>,
  rounds = 3
): Promise<{ floor: number; work: LoadResult; ratio: number }> {
  const floors: number[] = []
  const works: LoadResult[] = []
  for (let round = 0; round < rounds; round++) {
    floors.push((await load({ url: floorUrl })).rps)
    works.push(await workload())
  }
  const ratios = works.map((work, i) => work.rps / (floors[i] ?? 1))
  const byRps = [...works].sort((a, b) => a.rps - b.rps)
  return {
    floor: median(floors),
    work: byRps[Math.floor(byRps.length / 2)] ?? {
      rps: 0,
      requests: 0,
      p50: 0,
      p99: 0,
      errors: 0,
      non2xx: 0,
    },
    ratio: median(ratios),
  }
}
