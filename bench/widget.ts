import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { ELEMENTS_SCRIPT } from '@fps-checkout/demo'
import type { Figure } from './measure.js'

/** The script-tag bundle's size as `gzip -9` writes it, the elements' own budget measure. */
export function widgetBenchmark(): Figure[] {
  if (!existsSync(ELEMENTS_SCRIPT)) throw new Error('Build the elements first: pnpm build')
  const gzipped = execFileSync('gzip', ['-9', '-c', ELEMENTS_SCRIPT])
  return [
    {
      name: 'widget_gzip_bytes',
      value: gzipped.length,
      unit: 'bytes',
      target: { op: '<=', value: 9216 },
      note: 'fps-elements.iife.js, both elements and Lit',
    },
  ]
}
