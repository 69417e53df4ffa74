import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

/** The packages a release publishes, by directory under packages/. */
export const PUBLIC_PACKAGES = ['protocol', 'sandbox', 'signer', 'elements'] as const

/** What a new user's project installs beside our tarballs, pinned so every run installs the same. */
const THIRD_PARTY = {
  '@angular/compiler': '22.2.6',
  '@angular/core': '22.2.6',
  '@arethetypeswrong/cli': '0.18.5',
  '@hono/node-server': '2.1.9',
  '@types/express': '5.0.6',
  '@types/node': '20.19.43',
  '@types/react': '19.3.3',
  '@types/react-dom': '19.3.0',
  '@vitejs/plugin-react': '6.3.0',
  '@vitejs/plugin-vue': '6.0.11',
  express: '5.3.0',
  fastify: '5.12.8',
  hono: '4.13.19',
  publint: '0.3.25',
  react: '19.3.1',
  rxjs: '7.8.2',
  'zone.js': '0.16.3',
  'react-dom': '19.3.1',
  typescript: '5.9.3',
  vite: '8.4.0',
  vue: '3.5.45',
} as const

const repositoryRoot = resolve(import.meta.dirname, '../../..')

/** Runs pnpm as the workspace pins it (the same way scripts/lib.sh does). */
function pnpm(args: string[], cwd: string): void {
  const script = 'source scripts/lib.sh && run_pnpm "$@"'
  execFileSync('bash', ['-c', script, 'pnpm', '--dir', cwd, ...args], {
    cwd: repositoryRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
}

/** Packs every public package as a release would (`workspace:` ranges become versions). */
export function packAll(): Record<string, string> {
  const packs = mkdtempSync(join(tmpdir(), 'fps-packs-'))
  for (const name of PUBLIC_PACKAGES) {
    pnpm(['pack', '--pack-destination', packs], join(repositoryRoot, 'packages', name))
  }
  const tarballs: Record<string, string> = {}
  for (const file of readdirSync(packs)) {
    const name = /^fps-checkout-([a-z]+)-/.exec(file)?.[1]
    if (name) tarballs[`@fps-checkout/${name}`] = join(packs, file)
  }
  return tarballs
}

/**
 * A new user's project outside the workspace: our tarballs and the third-party packages installed
 * by npm from the registry, nothing from the monorepo. The tarballs also override the ranges the
 * packages name for each other, so npm never asks the registry for an unpublished version.
 */
export function installConsumer(tarballs: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'fps-consumer-'))
  const ours = Object.fromEntries(Object.entries(tarballs).map(([n, path]) => [n, `file:${path}`]))
  const manifest = {
    name: 'fps-consumer',
    private: true,
    type: 'module',
    dependencies: { ...ours, ...THIRD_PARTY },
    overrides: Object.fromEntries(Object.keys(ours).map((name) => [name, `$${name}`])),
  }
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`)
  mkdirSync(join(dir, 'src'))
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  return dir
}
