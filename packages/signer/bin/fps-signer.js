#!/usr/bin/env node
// The compiled CLI: shipped in the package, built in the workspace by `pnpm build`.
import { main } from '../dist/cli.js'

process.exitCode = await main(process.argv.slice(2))
