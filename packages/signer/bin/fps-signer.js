#!/usr/bin/env node
// Runs the TypeScript CLI through tsx until the package ships a build (Node 20 cannot strip types).
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../src/cli.ts')
process.exitCode = await main(process.argv.slice(2))
