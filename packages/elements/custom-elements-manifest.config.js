/** Drops the nameless events the analyzer infers from `dispatchEvent` calls; the TSDoc names them. */
const namedEventsOnly = {
  name: 'named-events-only',
  packageLinkPhase({ customElementsManifest }) {
    for (const mod of customElementsManifest.modules) {
      for (const declaration of mod.declarations ?? []) {
        if (declaration.events) declaration.events = declaration.events.filter((e) => e.name)
      }
    }
  },
}

/** The manifest documents the element classes; registration, styles and typings are left out. */
export default {
  plugins: [namedEventsOnly],
  globs: ['src/*.ts'],
  exclude: ['src/*.styles.ts', 'src/styles.ts', 'src/iife.ts', 'src/order-iife.ts', 'src/*.d.ts'],
  outdir: 'dist',
  litelement: true,
  packagejson: false,
}
