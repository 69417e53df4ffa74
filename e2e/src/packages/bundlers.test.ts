import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, inject, it } from 'vitest'
import { run } from './run.js'

const consumerDir = inject('consumerDir')

/** Writes a small Vite app under the consumer's project and builds it; answers its built JS. */
function buildApp(name: string, files: Record<string, string>): string {
  const dir = join(consumerDir, 'apps', name)
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  const result = run('npx', ['vite', 'build', '--logLevel', 'warn'], dir)
  expect(result.status, result.output).toBe(0)
  const assets = join(dir, 'dist/assets')
  return readdirSync(assets)
    .filter((file) => file.endsWith('.js'))
    .map((file) => readFileSync(join(assets, file), 'utf8'))
    .join('\n')
}

const page = (script: string) =>
  `<!doctype html><html><body><div id="app"></div><script type="module" src="${script}"></script></body></html>\n`

/** The elements are in the bundle, registered under their tag names. */
function expectElements(js: string): void {
  expect(js.includes('customElements'), 'customElements').toBe(true)
  for (const tag of ['fps-buy-button', 'fps-return']) {
    expect(new RegExp(`['"\`]${tag}['"\`]`).test(js), tag).toBe(true)
  }
}

it('bundles the elements into a plain Vite app', () => {
  const js = buildApp('vanilla', {
    'index.html': page('/main.ts'),
    'main.ts': `import { define } from '@fps-checkout/elements'
define()
document.querySelector('#app')!.innerHTML = '<fps-buy-button amount="0.90" reason="A song"></fps-buy-button>'
`,
  })
  expectElements(js)
})

it('bundles the elements into a React 19 app, with the shipped JSX types', () => {
  const js = buildApp('react', {
    'index.html': page('/main.tsx'),
    'vite.config.ts': `import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'
export default defineConfig({ plugins: [react()] })
`,
    'main.tsx': `import { define } from '@fps-checkout/elements'
import type {} from '@fps-checkout/elements/react'
import { createRoot } from 'react-dom/client'

define()

function Shop() {
  return <fps-buy-button amount="0.90" reason="Now and Forever" onfps-error={(event) => console.log(event.detail.code)} />
}
createRoot(document.querySelector('#app')!).render(<Shop />)
`,
    'tsconfig.json': JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'ESNext',
        moduleResolution: 'Bundler',
        jsx: 'react-jsx',
        strict: true,
        lib: ['ES2023', 'DOM'],
        types: [],
        noEmit: true,
      },
      include: ['main.tsx'],
    }),
  })
  expectElements(js)
  const types = run('npx', ['tsc', '-p', 'apps/react/tsconfig.json'], consumerDir)
  expect(types.status, types.output).toBe(0)
})

it('bundles the elements into a Vue 3 app that treats fps-* tags as custom elements', () => {
  const js = buildApp('vue', {
    'index.html': page('/main.ts'),
    'vite.config.ts': `import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'
export default defineConfig({
  plugins: [vue({ template: { compilerOptions: { isCustomElement: (tag) => tag.startsWith('fps-') } } })],
  build: { minify: false },
})
`,
    'main.ts': `import { define } from '@fps-checkout/elements'
import { createApp } from 'vue'
import Shop from './Shop.vue'

define()
createApp(Shop).mount('#app')
`,
    'Shop.vue': `<template>
  <fps-buy-button amount="0.90" reason="Now and Forever" @fps-error="(event) => console.log(event.detail.code)" />
</template>
`,
    'env.d.ts': `declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent
  export default component
}
`,
  })
  expectElements(js)
  // unminified, so the compiled template shows the tag is created as an element, not resolved
  expect(/createElementBlock\("fps-buy-button"/.test(js), 'created as an element').toBe(true)
  expect(/resolveComponent\("fps-buy-button"/.test(js), 'resolved as a component').toBe(false)
})
