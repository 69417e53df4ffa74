#!/usr/bin/env bash
# The README's test command: installs what the tests need, then builds, typechecks, lints and tests.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_system_packages
run_pnpm install --frozen-lockfile
run_pnpm run build
run_pnpm run lint
CHROME_PATH="$(chromium_path)" PG_BINDIR="$(postgres_bindir)" run_pnpm test
