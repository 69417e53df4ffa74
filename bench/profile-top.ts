import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The parts of a V8 `.cpuprofile` (written by `node --cpu-prof`) that self time needs. */
interface CpuProfile {
  nodes: {
    id: number
    callFrame: { functionName: string; url: string; lineNumber: number }
  }[]
  samples: number[]
  timeDeltas: number[]
  startTime: number
  endTime: number
}

/** One function's self time in a profile. */
export interface SelfTime {
  functionName: string
  /** Its file (relative to the repository, or a package name) and line. */
  location: string
  selfMs: number
  /** Of the busy time: every sample but `(idle)`. */
  share: number
}

/** What a profile says: its busy and idle time, and each function's self time, largest first. */
export interface ProfileSummary {
  totalMs: number
  idleMs: number
  busyMs: number
  entries: SelfTime[]
}

const ROOT = fileURLToPath(new URL('..', import.meta.url))

/**
 * A frame's file as a reader finds it, with its line where that means something: the package
 * inside node_modules, or the repository path.
 */
function location(url: string, functionName: string, line: number): string {
  // a Rust addon's frames carry its crate's path; its symbols are stripped, so V8 names the
  // nearest exported one: read them as time spent inside that addon
  const crate = /^([a-z_]+)::/.exec(functionName)?.[1]
  if (!url) return crate ? `(native, ${crate} addon)` : '(native)'
  const path = url.startsWith('file://') ? fileURLToPath(url) : url
  const inPackage =
    /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(path)
  const shown = inPackage
    ? `${inPackage[1]}/${inPackage[2]}`
    : path.startsWith(ROOT)
      ? relative(ROOT, path)
      : path
  // tsx compiles TypeScript on the fly: its line numbers are the compiled file's, not the source's
  return /\.tsx?$/.test(shown) ? shown : `${shown}:${line + 1}`
}

/** Sums each sample's time delta into the self time of its function (by name, file and line). */
export function summarize(file: string): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]))
  const byFunction = new Map<string, { functionName: string; location: string; us: number }>()
  let idleUs = 0
  let totalUs = 0
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i + 1] ?? 0
    const frame = frames.get(id)
    totalUs += us
    if (!frame) return
    if (frame.functionName === '(idle)') {
      idleUs += us
      return
    }
    const where = location(frame.url, frame.functionName, frame.lineNumber)
    const key = `${frame.functionName}\0${where}`
    const entry = byFunction.get(key) ?? {
      functionName: frame.functionName || '(anonymous)',
      location: where,
      us: 0,
    }
    entry.us += us
    byFunction.set(key, entry)
  })
  const busyUs = totalUs - idleUs
  return {
    totalMs: totalUs / 1000,
    idleMs: idleUs / 1000,
    busyMs: busyUs / 1000,
    entries: [...byFunction.values()]
      .sort((a, b) => b.us - a.us)
      .map((entry) => ({
        functionName: entry.functionName,
        location: entry.location,
        selfMs: entry.us / 1000,
        share: busyUs > 0 ? entry.us / busyUs : 0,
      })),
  }
}

/**
 * Self time summed by where it was spent: a package (node_modules), a file of the repository,
 * a Node internal module, or native code.
 */
export function byPlace(summary: ProfileSummary): SelfTime[] {
  const places = new Map<string, number>()
  for (const entry of summary.entries) {
    const file = entry.location.replace(/:\d+$/, '')
    const inPackage = /^((?:@[^/]+\/)?[^/(][^/]*)\/.+\.m?js$/.exec(file)
    const place = file.startsWith('(') ? file : inPackage ? (inPackage[1] ?? file) : file
    places.set(place, (places.get(place) ?? 0) + entry.selfMs)
  }
  return [...places.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([place, selfMs]) => ({
      functionName: '',
      location: place,
      selfMs,
      share: summary.busyMs > 0 ? selfMs / summary.busyMs : 0,
    }))
}

/** The top `count` self-time entries as a Markdown table. */
export function markdownTop(summary: ProfileSummary, count = 10): string {
  const rows = summary.entries
    .slice(0, count)
    .map(
      (entry, i) =>
        `| ${i + 1} | \`${entry.functionName}\` | ${entry.location} | ${entry.selfMs.toFixed(0)} | ${(entry.share * 100).toFixed(1)} % |`
    )
  return [
    '| # | function | file | self ms | % of busy |',
    '| --- | --- | --- | ---: | ---: |',
    ...rows,
  ].join('\n')
}

/** The `.cpuprofile` files at `path`: the file itself, or every one under the directory. */
function profiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path]
  return readdirSync(path)
    .sort()
    .flatMap((name) => profiles(join(path, name)))
    .filter((file) => file.endsWith('.cpuprofile'))
}

// `tsx bench/profile-top.ts <file or directory> [count]` prints each profile's busy time and its
// top self-time entries (a directory: every profile `BENCH_CPU_PROF` wrote under it).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [path, count] = process.argv.slice(2)
  if (!path) {
    console.error('usage: tsx bench/profile-top.ts <file.cpuprofile | directory> [count]')
    process.exit(2)
  }
  for (const file of profiles(path)) {
    const summary = summarize(file)
    console.log(
      `${relative(process.cwd(), file)}: ${summary.totalMs.toFixed(0)} ms profiled, ${summary.busyMs.toFixed(0)} ms busy, ${summary.idleMs.toFixed(0)} ms idle\n`
    )
    console.log(`${markdownTop(summary, Number(count ?? 10))}\n`)
    const places = byPlace(summary)
      .slice(0, Number(count ?? 10))
      .map((place) => `${place.location} ${(place.share * 100).toFixed(1)} %`)
    console.log(`by place: ${places.join(', ')}\n`)
  }
}
