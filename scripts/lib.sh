# Shared helpers for the repo's entry scripts; sourced, never run.

# pnpm pinned by package.json#packageManager, fetched by npm (integrity-checked) so a fresh machine
# with only Node 20 works; corepack 0.34's bundled keys reject the registry's current signatures.
pnpm_version() {
  node -p "require('./package.json').packageManager.split('@')[1]"
}

run_pnpm() {
  if command -v pnpm >/dev/null 2>&1 && [ "$(pnpm --version)" = "$(pnpm_version)" ]; then
    pnpm "$@"
  else
    npx --yes "pnpm@$(pnpm_version)" "$@"
  fi
}

chromium_path() {
  if [ -n "${CHROME_PATH:-}" ] && [ -x "$CHROME_PATH" ]; then echo "$CHROME_PATH"; return; fi
  if [ -x /usr/bin/chromium ]; then echo /usr/bin/chromium; fi
}

postgres_bindir() {
  local initdb
  initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)
  [ -n "$initdb" ] && dirname "$initdb"
}

# Installs Debian's chromium, postgresql and python3-boto (boto 2, the third-party FPS client the
# sandbox's tests drive) when missing: with apt-get as root, else names them and stops.
ensure_system_packages() {
  local missing=()
  [ -n "$(chromium_path)" ] || missing+=(chromium)
  [ -n "$(postgres_bindir)" ] || missing+=(postgresql)
  /usr/bin/python3 -c 'import boto.fps' 2>/dev/null || missing+=(python3-boto)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ]; then
    echo "Installing Debian packages: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "The tests need Debian packages that are missing: ${missing[*]}" >&2
    echo "Install them, then run this again:  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
}
