import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { beforeAll, expect, inject, it } from 'vitest'
import { readmeBlocks } from './readme-blocks.js'
import { type Ran, run } from './run.js'

const consumerDir = inject('consumerDir')
const repositoryRoot = resolve(import.meta.dirname, '../../..')

/**
 * A strict TypeScript project that also checks every declaration file it loads; one compiler run
 * for both tests (it takes half a minute on two cores).
 */
function typecheck(include: string[]): Ran {
  const config = {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      lib: ['ES2023', 'DOM', 'DOM.Iterable'],
      types: ['node'],
      jsx: 'react-jsx',
      strict: true,
      skipLibCheck: false,
      noEmit: true,
    },
    include,
  }
  writeFileSync(join(consumerDir, 'tsconfig.json'), JSON.stringify(config, null, 2))
  return run('npx', ['tsc', '-p', 'tsconfig.json'], consumerDir)
}

/** The compiler's complaints about files under `dir`. */
function errorsIn(result: Ran, dir: string): string[] {
  return result.output.split('\n').filter((line) => line.startsWith(dir))
}

let result: Ran
let blockCount = 0
beforeAll(() => {
  writeStrictConsumer()
  blockCount = writeReadmeBlocks()
  result = typecheck(['src/strict', 'src/readme'])
})

function writeStrictConsumer(): void {
  mkdirSync(join(consumerDir, 'src/strict'), { recursive: true })
  writeFileSync(
    join(consumerDir, 'src/strict/server.ts'),
    `import { buildCbuiUrl, FpsClient } from '@fps-checkout/protocol'
import { serveSandbox } from '@fps-checkout/sandbox'
import { walkPaymentPages } from '@fps-checkout/sandbox/testing'
import { createApp, createSigner, openStore, SignerError, type Store } from '@fps-checkout/signer'
import { ERROR_STATUS, ORDER_STATUSES, type OrderStatus, type OrderView } from '@fps-checkout/signer/http'
import { describeStoreConformance, Harness, testClock } from '@fps-checkout/signer/testing'
import { Hono } from 'hono'

const shop = new Hono().route(
  '/fps',
  createApp({ accessKeyId: 'AKIA', secretKey: 'secret', returnUrl: 'https://shop.example/return' })
)
const status: OrderStatus = ORDER_STATUSES[0]
const view: Pick<OrderView, 'status'> = { status }
const code: number = ERROR_STATUS.invalid_request
const store: Store = openStore('file:/tmp/orders.db')
export { buildCbuiUrl, code, createSigner, describeStoreConformance, FpsClient, Harness, serveSandbox, shop, SignerError, store, testClock, view, walkPaymentPages }
`
  )
  writeFileSync(
    join(consumerDir, 'src/strict/page.tsx'),
    `import '@fps-checkout/elements'
import type { FpsBuyButton, FpsReturn } from '@fps-checkout/elements'
import type {} from '@fps-checkout/elements/react'

const button = document.querySelector('fps-buy-button') as FpsBuyButton | null
button?.addEventListener('fps-error', (event) => console.log(event.detail.code))
const returned: FpsReturn | null = document.querySelector('fps-return')
export const Buy = () => <fps-buy-button amount="0.90" reason="A song" />
export { returned }
`
  )
}

/** Each README block as a module of its own; answers how many there are. */
function writeReadmeBlocks(): number {
  const blocks = readmeBlocks(repositoryRoot)
  const dir = join(consumerDir, 'src/readme')
  mkdirSync(dir, { recursive: true })
  for (const block of blocks) {
    const name = `${block.readme.replace(/\W+/g, '-')}-line-${block.line}.${block.language}`
    writeFileSync(join(dir, name), `${block.code}\nexport {}\n`)
  }
  return blocks.length
}

it('type-checks a strict consumer of every entry point, with skipLibCheck off', () => {
  expect(errorsIn(result, 'src/strict')).toEqual([])
  expect(result.status, result.output).toBe(0)
})

it('type-checks every TypeScript block of the READMEs against the installed packages', () => {
  expect(blockCount).toBeGreaterThan(5)
  expect(errorsIn(result, 'src/readme')).toEqual([])
})
