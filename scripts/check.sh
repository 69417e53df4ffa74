#!/usr/bin/env bash
# The README's test command: installs what the tests need, then builds, typechecks, lints, tests,
# and tests the packed packages as a new user installs them.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_system_packages
run_pnpm install --frozen-lockfile
run_pnpm run build
run_pnpm run lint
CHROME_PATH="$(chromium_path)" PG_BINDIR="$(postgres_bindir)" run_pnpm test
# the public packages as a release packs them, installed by npm outside the workspace
CHROME_PATH="$(chromium_path)" run_pnpm run test:packages
