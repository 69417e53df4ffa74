import { table } from '../figures.js'
import { RESULTS_FILE, readResults } from './figures.js'
import { SCALE } from './scale.js'

/** The groups in the order the issue lists the reliability runs. */
const GROUPS = ['lost', 'crash', 'delivery', 'subscription', 'tamper', 'fuzz', 'load']

/**
 * Vitest global setup of `pnpm test:chaos`: once every run is done, prints all their figures as
 * one table (what the README quotes), read back from the results file the runs wrote.
 */
export default function setup(): () => void {
  return () => {
    const results = readResults()
      .filter((f) => f.scale === SCALE.name)
      .sort((a, b) => GROUPS.indexOf(a.group) - GROUPS.indexOf(b.group))
    console.log(`\nReliability runs (${SCALE.name}), also in ${RESULTS_FILE}\n${table(results)}\n`)
  }
}
