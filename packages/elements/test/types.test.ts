/**
 * The shipped typings, compiled as a consumer would: with React 19's types (JSX for both tags)
 * and without React at all (the React typings must not need it).
 */
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const fixture = (name: string) => fileURLToPath(new URL(`types/${name}`, import.meta.url))

/** Parsed files, shared by the two programs (the DOM's typings take most of the time). */
const parsed = new Map<string, ts.SourceFile | undefined>()

/** Without React, react.d.ts itself is checked; with React, the fixture's JSX is what matters. */
function diagnostics(file: string, hideReact: boolean): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: !hideReact,
    skipDefaultLibCheck: true,
    jsx: ts.JsxEmit.ReactJSX,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    types: [],
  }
  const host = ts.createCompilerHost(options)
  const parse = host.getSourceFile
  host.getSourceFile = (name, ...rest) => {
    if (!parsed.has(name)) parsed.set(name, parse(name, ...rest))
    return parsed.get(name)
  }
  if (hideReact) {
    const exists = host.fileExists
    host.fileExists = (path) => !/node_modules\/(@types\/)?react\//.test(path) && exists(path)
  }
  const program = ts.createProgram([file], options, host)
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
}

describe('typings', { timeout: 60_000 }, () => {
  it('type both tags in React 19 JSX: attributes, events, ref, className', () => {
    expect(diagnostics(fixture('with-react.tsx'), false)).toEqual([])
  })

  it('typecheck without React installed, react.d.ts included', () => {
    expect(diagnostics(fixture('without-react.ts'), true)).toEqual([])
  })
})
