#!/usr/bin/env bash
# The README's demo command. Placeholder until the demo issue lands: installs, then says what it will start.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

run_pnpm install --frozen-lockfile
cat <<'TEXT'
The demo is not built yet. When it lands, this command will start, on 127.0.0.1:
  Demo shop: the DigitalDownload music store with <fps-buy-button> on each song
  FPS sandbox: the local emulator of the CBUI pages and the FPS API
  Signer: the signing server that keeps the FPS secret key off the browser
TEXT
