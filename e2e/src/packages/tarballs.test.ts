import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { run } from './run.js'

const consumerDir = inject('consumerDir')
const tarballs = inject('tarballs')
const unpacked = mkdtempSync(join(tmpdir(), 'fps-unpacked-'))
afterAll(() => rmSync(unpacked, { recursive: true, force: true }))

/** Every file under `dir`, relative to it. */
function walk(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((path) => statSync(join(dir, path)).isFile())
    .sort()
}

describe.each(Object.entries(tarballs))('%s', (name, tarball) => {
  const dir = join(unpacked, name.replace('@fps-checkout/', ''))

  it('ships dist, README, LICENSE and CHANGELOG, and no sources, tests or build state', () => {
    run('mkdir', ['-p', dir], unpacked)
    expect(run('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1'], unpacked).status).toBe(
      0
    )
    const files = walk(dir)
    const bytes = files.reduce((sum, file) => sum + statSync(join(dir, file)).size, 0)
    console.log(
      `${name}: ${statSync(tarball).size.toLocaleString('en-US')} bytes packed, ` +
        `${bytes.toLocaleString('en-US')} unpacked, ${files.length} files\n  ${files.join('\n  ')}`
    )
    expect(files).toEqual(
      expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'])
    )
    const stray = files.filter((file) =>
      /(^src\/|^test\/|\.test\.|test-support|\.tsbuildinfo$|\.d\.ts\.map$)/.test(file)
    )
    expect(stray).toEqual([])
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
    expect(JSON.stringify(manifest)).not.toContain('workspace:')
    expect(manifest).toMatchObject({ license: 'MIT', engines: { node: '>=20' } })
    expect(manifest.repository?.url).toMatch(/^git\+https:\/\//)
  })

  it('carries the sources inside every source map it ships', () => {
    const maps = walk(dir).filter((file) => file.endsWith('.js.map'))
    for (const map of maps) {
      const { sources, sourcesContent } = JSON.parse(readFileSync(join(dir, map), 'utf8'))
      expect(sourcesContent?.length, map).toBe(sources.length)
    }
  })

  it('links only to files it ships, or to absolute URLs', () => {
    const readme = readFileSync(join(dir, 'README.md'), 'utf8')
    const targets = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? '')
    const relativeLinks = targets.filter((target) => !/^(https?:|mailto:|#)/.test(target))
    const missing = relativeLinks.filter((target) => {
      const path = join(dir, target.split('#')[0] ?? '')
      return relative(dir, path).startsWith('..') || !walk(dir).includes(relative(dir, path))
    })
    expect(missing).toEqual([])
  })

  it('passes publint and Are the Types Wrong (ESM only)', () => {
    const publint = run('npx', ['publint', 'run', '--strict', tarball], consumerDir)
    expect(publint.status, publint.output).toBe(0)
    const attw = run(
      'npx',
      ['attw', tarball, '--profile', 'esm-only', '--format', 'ascii'],
      consumerDir
    )
    expect(attw.status, attw.output).toBe(0)
  })
})
