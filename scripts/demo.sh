#!/usr/bin/env bash
# The README's demo command: installs, builds, then starts the shop, the signer and the FPS sandbox.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

run_pnpm install --frozen-lockfile
run_pnpm --silent run build
run_pnpm --silent --filter @fps-checkout/demo start
