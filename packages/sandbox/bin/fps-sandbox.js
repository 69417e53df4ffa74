#!/usr/bin/env node
// The compiled CLI, which runs on import: shipped in the package, built in the workspace by `pnpm build`.
import '../dist/cli.js'
